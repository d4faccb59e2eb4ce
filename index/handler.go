package index

import (
	"bytes"
	"context"
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
		var status int
		var body []byte
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			status, body = Answer(http.StatusMethodNotAllowed, ErrorBody("use GET"))
		} else {
			v, err := url.ParseQuery(r.URL.RawQuery)
			if err != nil {
				status, body = Answer(http.StatusBadRequest, ErrorBody("cannot read the query string: "+strings.TrimPrefix(err.Error(), "invalid URL escape ")))
			} else {
				status, body = Answer(Serve(r.Context(), v, get()))
			}
		}
		w.WriteHeader(status)
		w.Write(body)
	})
}

type errorBody struct {
	Error string `json:"error"`
}

// ErrorBody is the JSON value of an error answer: {"error": msg}.
func ErrorBody(msg string) any { return errorBody{msg} }

// Serve runs the search the query parameters v ask for and returns the
// status and the value to encode as JSON (see Answer). It is NewHandler
// without HTTP, for adapters such as the Netlify function.
func Serve(ctx context.Context, v url.Values, ix *Index) (status int, body any) {
	if ix == nil {
		return http.StatusServiceUnavailable, ErrorBody("the search index is not ready yet")
	}
	q, err := ParseQuery(v, ix.Taxonomies())
	if err != nil {
		return http.StatusBadRequest, ErrorBody(err.Error())
	}
	res, err := ix.Search(ctx, q)
	switch {
	case err == nil:
		return http.StatusOK, res
	case IsQueryError(err):
		return http.StatusBadRequest, ErrorBody(err.Error())
	case ctx.Err() != nil:
		// The client went away; nobody reads this.
		return http.StatusServiceUnavailable, ErrorBody("request cancelled")
	}
	log.Printf("search: %q: %v", v.Encode(), err)
	return http.StatusServiceUnavailable, ErrorBody("the search failed; try again")
}

// Answer encodes a status and value as the API's JSON, falling back to a
// 503 error answer should the value not encode.
func Answer(status int, v any) (int, []byte) {
	b, err := MarshalResult(v)
	if err != nil {
		return http.StatusServiceUnavailable, []byte(`{"error":"cannot encode the result"}` + "\n")
	}
	return status, b
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
