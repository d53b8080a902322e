package chart

import (
	"slices"
	"testing"
)

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		axis Axis
		vals []float64
		want []string
	}{
		{Axis{Log: true}, []float64{0.15, 613}, []string{"0.1", "1", "10", "100", "1000"}},
		{Axis{Log: true}, []float64{2, 9}, []string{"1", "2", "5", "10"}},
		{Axis{}, []float64{0.01, 0.27}, []string{"0", "0.1", "0.2", "0.3"}},
		{Axis{}, []float64{3, 20}, []string{"0", "5", "10", "15", "20", "25"}},
		{Axis{Min: 0, Max: 40}, []float64{3, 20}, []string{"0", "10", "20", "30", "40", "50"}},
		{Axis{}, []float64{-3, 4}, []string{"-4", "-2", "0", "2", "4", "6"}},
		{Axis{}, nil, []string{"0", "0.25", "0.5", "0.75", "1", "1.25"}},
	} {
		s, err := newScale(tc.axis, tc.vals, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range s.ticks {
			got = append(got, label(v))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v over %v: ticks %v, want %v", tc.axis, tc.vals, got, tc.want)
		}
		if lo, hi := s.px(s.lo), s.px(s.hi); lo != 0 || hi != 100 {
			t.Errorf("%+v: the range maps to %g..%g", tc.axis, lo, hi)
		}
	}
	if _, err := newScale(Axis{Log: true}, []float64{0, -1}, 0, 100); err == nil {
		t.Error("a log axis of no positive value drew")
	}
}
