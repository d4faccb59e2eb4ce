package host

import (
	"net"
	"strings"
)

// Loopback reports whether a listen address (host:port) reaches this
// machine only: localhost or a loopback IP. An empty host listens on
// every interface, so it is not.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
