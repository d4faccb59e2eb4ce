package index

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"net/url"
	"strings"
)

// NewHandler answers GET /api/search (and HEAD) with the JSON of
// CONTENT.md: {"total", "hits", "facets"}. get returns the current index,
// so a server can swap indexes; nil means "not ready yet" (503). A
// malformed query answers 400 {"error": "..."}; no user input produces a
// 500. The path is not checked: mount the handler where it belongs.
func NewHandler(get func() *Index) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{"use GET"})
			return
		}
		status, body := Serve(r, get())
		writeJSON(w, status, body)
	})
}

type errorBody struct {
	Error string `json:"error"`
}

// Serve runs the search a request asks for and returns the status and the
// value to encode as JSON. It is NewHandler without the HTTP writing, for
// adapters such as the Netlify function.
func Serve(r *http.Request, ix *Index) (status int, body any) {
	if ix == nil {
		return http.StatusServiceUnavailable, errorBody{"the search index is not ready yet"}
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return http.StatusBadRequest, errorBody{"cannot read the query string: " + strings.TrimPrefix(err.Error(), "invalid URL escape ")}
	}
	q, err := ParseQuery(v, ix.Taxonomies())
	if err != nil {
		return http.StatusBadRequest, errorBody{err.Error()}
	}
	res, err := ix.Search(r.Context(), q)
	switch {
	case err == nil:
		return http.StatusOK, res
	case IsQueryError(err):
		return http.StatusBadRequest, errorBody{err.Error()}
	case r.Context().Err() != nil:
		// The client went away; nobody reads this.
		return http.StatusServiceUnavailable, errorBody{"request cancelled"}
	}
	log.Printf("search: %q: %v", r.URL.RawQuery, err)
	return http.StatusServiceUnavailable, errorBody{"the search failed; try again"}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusServiceUnavailable
		b.Reset()
		b.WriteString(`{"error":"cannot encode the result"}` + "\n")
	}
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// MarshalResult encodes a result or an error body exactly as the handler
// does.
func MarshalResult(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
