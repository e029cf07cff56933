// Package rehearsal is a local stand-in for the AWS resource provider. The real Pulumi
// engine attaches to it (PULUMI_DEBUG_PROVIDERS=aws:<port>) instead of loading
// pulumi-resource-aws, so a region's whole lifecycle — preview, up, refresh, destroy —
// runs without an AWS account and without touching the cloud.
//
// What it fakes is what a rehearsal must catch: the naming limits AWS enforces (Check),
// the changes that replace a resource on the real provider (Diff), and stable ids, ARNs
// and endpoints (Create), the same ones the offline plan shows (stacks/mockaws).
package rehearsal

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
)

// maxMessageSize matches what the engine allows itself (rpcutil.GrpcChannelOptions):
// a large program's resource graph must not bounce off gRPC's 4 MB default.
const maxMessageSize = 400 << 20

// stopGrace bounds how long Close waits for calls in flight before cutting them off.
const stopGrace = 5 * time.Second

// Server serves one rehearsal provider on 127.0.0.1. Start one per region run.
type Server struct {
	provider *provider
	grpc     *grpc.Server
	port     int
	serveErr chan error
	close    sync.Once
}

// DefaultLatencyScale is the latency scale of a rehearsal unless told otherwise: a
// full region's creates add about a second (see awsmodel.Scaled).
const DefaultLatencyScale = 0.02

// Options configure a rehearsal provider.
type Options struct {
	// LatencyScale makes creates take time like AWS's, scaled down (awsmodel.Scaled):
	// a program that creates a resource before what it needs is caught on every run,
	// not by luck. 0 answers at once.
	LatencyScale float64
	// OutOfBand is the file of the region's out-of-band changes (OutOfBandFile), which
	// Read answers with; empty for none.
	OutOfBand string
}

// Start serves a fresh rehearsal provider on 127.0.0.1 (random port), answering at once.
func Start() (*Server, error) {
	return start(Options{}, nil)
}

// StartWith serves a fresh rehearsal provider with opts.
func StartWith(opts Options) (*Server, error) {
	return start(opts, nil)
}

// start is StartWith with a hook that sees the name of every call, for tests that
// record what the engine asks.
func start(o Options, observe func(method string)) (*Server, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("rehearsal provider: listening on 127.0.0.1: %w", err)
	}
	p := newProvider(o)
	if p.outOfBand, err = loadOutOfBand(o.OutOfBand); err != nil {
		_ = lis.Close()
		return nil, fmt.Errorf("rehearsal provider: reading the out-of-band changes: %w", err)
	}
	opts := []grpc.ServerOption{
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.MaxSendMsgSize(maxMessageSize),
		grpc.ChainUnaryInterceptor(p.scope),
	}
	if observe != nil {
		opts = append(opts, grpc.ChainUnaryInterceptor(func(ctx context.Context, req any,
			info *grpc.UnaryServerInfo, handler grpc.UnaryHandler,
		) (any, error) {
			observe(info.FullMethod)
			return handler(ctx, req)
		}))
	}
	g := grpc.NewServer(opts...)
	pulumirpc.RegisterResourceProviderServer(g, p)

	s := &Server{
		provider: p,
		grpc:     g,
		port:     lis.Addr().(*net.TCPAddr).Port,
		serveErr: make(chan error, 1),
	}
	go func() { s.serveErr <- g.Serve(lis) }()
	return s, nil
}

// Seed tells the provider what exists in an account and region before a run: the
// resources of the stack's state, as earlier runs left them.
func (s *Server) Seed(region, accountID string, rs []SeedResource) {
	s.provider.world(region, accountID).seed(rs)
}

// Port is the port to give the engine: PULUMI_DEBUG_PROVIDERS=aws:<port>.
func (s *Server) Port() int { return s.port }

// Close stops serving. Calls in flight get a short grace period. It is safe to call
// more than once.
func (s *Server) Close() error {
	var err error
	s.close.Do(func() {
		done := make(chan struct{})
		go func() {
			s.grpc.GracefulStop()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(stopGrace):
			s.grpc.Stop()
			<-done
		}
		if serr := <-s.serveErr; serr != nil && !errors.Is(serr, grpc.ErrServerStopped) {
			err = fmt.Errorf("rehearsal provider: %w", serr)
		}
	})
	return err
}

// connKey identifies the engine's connection a call arrived on. The engine dials one
// connection per provider instance it loads, so keying configuration by connection
// keeps two differently configured providers (say two regions) apart.
type connKey struct{}

func connOf(ctx context.Context) string {
	if key, ok := ctx.Value(connKey{}).(string); ok {
		return key
	}
	return ""
}

// scope tags each call's context with the connection it came on.
func (p *provider) scope(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if pr, ok := peer.FromContext(ctx); ok && pr.Addr != nil {
		ctx = context.WithValue(ctx, connKey{}, pr.Addr.String())
	}
	return handler(ctx, req)
}
