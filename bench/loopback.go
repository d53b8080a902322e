package main

import (
	"bytes"
	"net"
	"net/http"
	"time"
)

// serveLoopback serves srv on a free loopback port, in this process. If
// observe is set, it sees every answer (status code and body) as it is
// sent.
func serveLoopback(srv http.Handler, observe func(r *http.Request, code int, body []byte)) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	h := srv
	if observe != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &recorder{ResponseWriter: w, code: http.StatusOK}
			srv.ServeHTTP(rec, r)
			observe(r, rec.code, rec.body.Bytes())
		})
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

// recorder keeps a copy of what a handler writes.
type recorder struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (r *recorder) WriteHeader(code int) { r.code = code; r.ResponseWriter.WriteHeader(code) }

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
