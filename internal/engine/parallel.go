package engine

import (
	"context"
	"sync"
)

// EachRegion calls run for every index 0..n-1, at most limit at a time, and waits for
// all. An index still waiting for its turn when ctx ends gets skipped(i) instead (when
// skipped is not nil).
func EachRegion(ctx context.Context, n, limit int, run, skipped func(i int)) {
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				if skipped != nil {
					skipped(i)
				}
				return
			}
			run(i)
		}()
	}
	wg.Wait()
}
