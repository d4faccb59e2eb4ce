// Command search is the Netlify (AWS Lambda) function that answers GET
// /api/search for a site deployed to Netlify. netlify.toml rewrites
// /api/search to /.netlify/functions/search. It lives where Netlify's
// build and `netlify dev` look for a Go function, netlify/functions/NAME
// with its main.go, and both compile it themselves.
//
// The index is not inside the function: Netlify refuses a function over
// 50 MB zipped, and the bleve archive passes that at about 8,500 reviews.
// Instead the build's second step (`go run ./netlify/functions/search
// stage ARCHIVE public`, see stage.go) publishes the archive with the site
// under a content-hashed name and writes data/index.json, a pointer of a
// few hundred bytes that the function embeds. On its first request a
// container fetches the archive from the deploy (checking its SHA-256),
// keeps it in its temporary folder and opens it read-only.
//
// When the function has no index to answer from (none was staged, the
// archive was over the limit the stage step enforces, or the fetch
// failed) it answers 404 with a JSON error: search.js takes a 404 as "no
// search API here" and searches the static bundle every build writes.
package main

import (
	"context"
	"embed"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/casebook/casebook/index"
)

//go:embed data
var data embed.FS

func main() {
	if len(os.Args) > 1 && os.Args[1] == "stage" {
		if err := stage(os.Args[2:], os.Getenv, os.Stderr); err != nil {
			fmt.Fprintf(os.Stderr, "casebook search function: %v\n", err)
			os.Exit(1)
		}
		return
	}
	l := newLoader(data, os.Getenv)
	if l.knowsSite() {
		// Fetch during the init phase, before the first request waits.
		if _, err := l.get(context.Background(), nil); err != nil {
			log.Printf("casebook search function: %v", err)
		}
	}
	lambda.Start(newHandler(l.get))
}

// getter returns the index to answer req from; req is nil at start-up.
type getter func(ctx context.Context, req *events.APIGatewayProxyRequest) (*index.Index, error)

type handlerFunc func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

// newHandler answers API Gateway proxy events exactly as index.NewHandler
// answers HTTP requests.
func newHandler(get getter) handlerFunc {
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
		ix, err := get(ctx, &req)
		if err != nil {
			log.Printf("casebook search function: %v", err)
			// 404, not 503: the page then searches the static bundle.
			return respond(http.StatusNotFound, index.ErrorBody("this site's search function has no index ("+err.Error()+"); the page searches in the browser instead"))
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
