// dockerfile-lint runs BuildKit's Dockerfile checks (the rules of `docker build --check`) on a
// Dockerfile without a Docker engine and without a registry: base images resolve to a stub
// linux/amd64 config instead of being looked up, so only the Dockerfile itself is judged.
//
// Usage: dockerfile-lint Dockerfile   (exit 1 on any warning or error)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
)

// offlineResolver answers every base image with a minimal config (the PATH of Debian-based images),
// so the linter never reaches a registry.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, err := json.Marshal(map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"config":       map[string]any{"Env": []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{}},
	})
	return ref, digest.FromBytes(cfg), cfg, err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-lint Dockerfile")
		os.Exit(2)
	}
	file := os.Args[1]
	dt, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sm := llb.NewSourceMap(nil, file, "Dockerfile", dt)
	sm.Definition = &llb.Definition{} // DockerfileLint reads it; there is no build state here
	res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{},
		SourceMap:    sm,
		MetaResolver: offlineResolver{},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bad := 0
	if res.Error != nil {
		fmt.Printf("%s: error: %s\n", file, res.Error.Message)
		bad++
	}
	for _, w := range res.Warnings {
		line := 0
		if w.Location != nil && len(w.Location.Ranges) > 0 {
			line = int(w.Location.Ranges[0].Start.Line)
		}
		fmt.Printf("%s:%d: %s: %s (%s)\n", file, line, w.RuleName, w.Detail, w.URL)
		bad++
	}
	if bad > 0 {
		os.Exit(1)
	}
	fmt.Printf("%s: no BuildKit check warnings\n", file)
}
