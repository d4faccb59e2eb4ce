// The static search client under Node, for index's tests: it reads
// requests from stdin, one JSON object a line, and answers each on a line
// of stdout.
//   {"analyze": TEXT, "stop": [...]}  → {"tokens": [[term, position, start, end], ...]}
//   {"stem": [WORD, ...]}              → {"stems": [...]}
//   {"search": "q=...&page=2"}         → the API's JSON, or {"error": msg}
//   {"prefetch": TEXT}                 → {"loaded": [files read for it]}
// argv: the client script, then the bundle folder (for search).
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const client = require(path.resolve(process.argv[2]));
const dir = process.argv[3] || '';
let loaded = [];
const engine = dir && client.open('', (name, kind) => {
  loaded.push(name);
  const b = fs.readFileSync(path.join(dir, name));
  return Promise.resolve(kind === 'json' ? JSON.parse(b.toString('utf8')) : b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
});
const rl = readline.createInterface({ input: process.stdin });
const queue = [];
let busy = false;
rl.on('line', (line) => { queue.push(line); pump(); });
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const req = JSON.parse(queue.shift());
    let out;
    try {
      if (req.analyze !== undefined) {
        const a = new client.Analyzer(req.stop || []);
        out = { tokens: a.analyze(req.analyze).map((t) => [t.term, t.pos, t.start, t.end]) };
      } else if (req.prefetch !== undefined) {
        loaded = [];
        await engine.prefetch(req.prefetch);
        out = { loaded: loaded };
      } else if (req.stem) {
        out = { stems: req.stem.map(client.stem) };
      } else {
        out = await engine.search(new URLSearchParams(req.search));
      }
    } catch (err) {
      out = { error: String(err && err.message || err) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
  busy = false;
}
