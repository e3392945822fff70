// Package main only pins, through blank imports, the packages scripts/test-deps.sh builds
// from this module (go mod tidy keeps their dependencies in go.sum):
//
//	go build k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
//	go build k8s.io/kubernetes/cmd/kubectl (only when no kubectl is on PATH)
//
// The two servers are built by one `go build` run, so the packages they share compile once.
// It is never built itself.
package main

import (
	_ "k8s.io/kubectl/pkg/cmd"
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {}
