package hwc

import (
	"net/http"
	"testing"
	"time"
)

// BenchmarkSign signs a job read as the client sends it: a GET with
// Content-Type, X-Project-Id and User-Agent, its header cloned fresh each
// time as Client.attempt does. bench/ reports it.
func BenchmarkSign(b *testing.B) {
	req, err := http.NewRequest(http.MethodGet, "https://ecs.cn-north-4.myhuaweicloud.com/v1/0605767ea300d5762fd2c0070d1a2b3c/jobs/2c9eb2c5544cbf6101544f0602af2b4f", nil)
	if err != nil {
		b.Fatal(err)
	}
	header := http.Header{}
	header.Set("Content-Type", "application/json")
	header.Set("X-Project-Id", "0605767ea300d5762fd2c0070d1a2b3c")
	header.Set("User-Agent", "terraform-provider-hwcjobs/bench")
	s := Signer{AccessKey: "HWCJOBSDEMOACCESSKEY", SecretKey: "hwcjobs-demo-secret-key-do-not-use"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		req.Header = header.Clone()
		if err := s.Sign(req, nil, now); err != nil {
			b.Fatal(err)
		}
	}
}
