// Package sdkcompat reads the emulator's seed jobs through Huawei Cloud's
// official Go SDK (github.com/huaweicloud/huaweicloud-sdk-go-v3), each
// service with its own job-read call and models, against the emulator's
// per-service listeners. It holds only tests; it is a module of its own so
// that the provider's dependencies stay lean.
package sdkcompat
