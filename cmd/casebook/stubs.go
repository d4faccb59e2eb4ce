package main

// Every subcommand is implemented; this file is left for stubs of future ones.
