// Command casebook-search-fn is the Netlify (AWS Lambda) function that
// answers GET /api/search for a site deployed to Netlify. netlify.toml
// rewrites /api/search to /.netlify/functions/search.
//
// Netlify ships only the function binary, so the index travels inside it:
// `casebook build --search-index cmd/casebook-search-fn/data/search-index.tar.zst`
// writes the archive, then `go build` embeds the data folder. On cold
// start the archive is unpacked into the function's temporary folder and
// opened read-only. Without an archive (a clean checkout) the function
// still builds and answers 503.
package main

import (
	"context"
	"embed"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/casebook/casebook/index"
)

//go:embed data
var data embed.FS

// archiveName is the index archive inside data/.
const archiveName = "data/search-index.tar.zst"

func main() {
	// Open the index during the init phase, before the first request.
	get := openOnce(data)
	if _, err := get(); err != nil {
		log.Printf("casebook-search-fn: %v", err)
	}
	lambda.Start(newHandler(get))
}

// openOnce opens the embedded archive on first use and remembers the
// result.
func openOnce(fsys fs.FS) func() (*index.Index, error) {
	var once sync.Once
	var ix *index.Index
	var err error
	return func() (*index.Index, error) {
		once.Do(func() {
			b, rerr := fs.ReadFile(fsys, archiveName)
			if rerr != nil {
				err = index.ErrNoArchive
				return
			}
			ix, err = index.OpenArchive(b)
		})
		return ix, err
	}
}

type handlerFunc func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

// newHandler answers API Gateway proxy events exactly as index.NewHandler
// answers HTTP requests.
func newHandler(get func() (*index.Index, error)) handlerFunc {
	return func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		headers := map[string]string{
			"Content-Type":           "application/json; charset=utf-8",
			"X-Content-Type-Options": "nosniff",
		}
		respond := func(status int, body any) (events.APIGatewayProxyResponse, error) {
			status, b := index.Answer(status, body)
			if status == http.StatusOK {
				// The index changes only with a deploy.
				headers["Cache-Control"] = "public, max-age=300"
			} else {
				headers["Cache-Control"] = "no-store"
			}
			return events.APIGatewayProxyResponse{StatusCode: status, Headers: headers, Body: string(b)}, nil
		}
		method := strings.ToUpper(req.HTTPMethod)
		if method != "" && method != http.MethodGet && method != http.MethodHead {
			headers["Allow"] = "GET, HEAD"
			return respond(http.StatusMethodNotAllowed, index.ErrorBody("use GET"))
		}
		ix, err := get()
		if err != nil {
			log.Printf("casebook-search-fn: %v", err)
			return respond(http.StatusServiceUnavailable, index.ErrorBody("the search index is not built"))
		}
		return respond(index.Serve(ctx, queryValues(req), ix))
	}
}

// queryValues are the event's (already decoded) query parameters; the
// multi-value form keeps repeated filters such as technologies=a&technologies=b.
func queryValues(req events.APIGatewayProxyRequest) url.Values {
	v := url.Values{}
	if len(req.MultiValueQueryStringParameters) > 0 {
		for k, vals := range req.MultiValueQueryStringParameters {
			v[k] = append([]string(nil), vals...)
		}
		return v
	}
	keys := make([]string, 0, len(req.QueryStringParameters))
	for k := range req.QueryStringParameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Set(k, req.QueryStringParameters[k])
	}
	return v
}
