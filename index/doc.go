// Package index is casebook's full-text search: a bleve index of a site's
// reviews with an explicit mapping and BM25 scoring, a query language
// (bleve's query-string syntax plus taxonomy and date filters), faceting
// over the filtered result, and the GET /api/search HTTP handler.
//
// The same index serves three places: the preview server (Build, then
// Sync after each reload), the terminal (casebook search) and the Netlify
// function, which embeds an archive written at build time (BuildArchive,
// OpenArchive).
//
// WriteStaticBundle writes the same index as static files for the
// browser (themes/default/static/js/search-static.js), which answers the
// API's queries where there is no server.
//
// Package site never imports index; index reads a loaded *site.Site.
package index
