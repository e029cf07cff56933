package app

import "sync"

// each calls f for 0..n-1, at most limit at a time, and waits for all: state reads of
// several regions are engine starts worth running side by side, not all at once.
func each(n, limit int, f func(i int)) {
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}
