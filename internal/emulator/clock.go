package emulator

import (
	"sync"
	"time"
)

// Clock is the time source of the job lifecycle: when jobs begin, change
// status, finish and expire. It is separate from the signature verifier's
// clock, which stays real time so that signed requests keep working while
// tests race jobs forward.
type Clock interface {
	Now() time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// ScaledClock runs Speed times faster than real time from the moment it
// was created: at speed 10, 30 s of job time pass in 3 s.
type ScaledClock struct {
	start time.Time
	speed float64
}

// NewScaledClock returns a clock that starts at the current time and runs
// speed times as fast as the wall clock. A speed <= 0 is taken as 1.
func NewScaledClock(speed float64) *ScaledClock {
	if speed <= 0 {
		speed = 1
	}
	return &ScaledClock{start: time.Now(), speed: speed}
}

// Now returns the scaled time.
func (c *ScaledClock) Now() time.Time {
	elapsed := time.Since(c.start)
	return c.start.Add(time.Duration(float64(elapsed) * c.speed))
}

// ManualClock only moves when told to, for deterministic tests.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at t (the current time if t is zero).
func NewManualClock(t time.Time) *ManualClock {
	if t.IsZero() {
		t = time.Now()
	}
	return &ManualClock{now: t}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backwards if d is negative).
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
