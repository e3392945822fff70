// Command compat-franz-go-security runs franz-go (kgo + kadm) against a secured Kafka
// listener, for test/compat/security/franz-go-security.compat.test.ts. TLS always: the server
// certificate is checked against -ca (and its name, 127.0.0.1). Authentication is SASL SCRAM
// (-mechanism SCRAM-SHA-256 or SCRAM-SHA-512, -user, the password from the environment
// variable KAFSCALE_COMPAT_SASL_PASSWORD, never from argv) and/or a client certificate (-cert,
// -key: mTLS).
//
// With -create-user-via ADDR (a PLAINTEXT listener), the SASL user is first created or
// updated there with kadm AlterUserSCRAMs (the -mechanism, 4096 iterations, franz-go salting
// the password client-side): check "create SCRAM user".
//
// Without -expect-refused it then makes these named checks, in order:
//
//  1. "create topic": kadm CreateTopics makes TOPIC (2 partitions).
//  2. "list topics": kadm ListTopics names it.
//  3. "advertised address": every broker in Metadata is at the address dialled (the
//     listener's own advertised address).
//  4. "produce": RECORDS records (acks=all, kgo's default idempotent producer) acknowledged.
//  5. "consume in group": a group member (group TOPIC-group, from the start) reads every one
//     of them back, exactly once, values intact, and commits.
//  6. "committed offsets": kadm FetchOffsets for the group gives each partition's end.
//
// With -expect-refused it tries kadm ListTopics and one produce (10 s each) and makes the
// checks "list topics refused" and "produce refused", passed when each fails; the detail is
// the error seen.
//
// The last stdout line is {"client","version","checks":[{name,ok,detail}],"timingsMs"}.
//
// Usage: compat-franz-go-security [flags] BOOTSTRAP TOPIC RECORDS
// (KAFSCALE_COMPAT_DEBUG=1 logs at debug level)
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

const (
	opTimeout      = 30 * time.Second
	refusedTimeout = 10 * time.Second
	partitions     = 2
)

type check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

type result struct {
	Client    string           `json:"client"`
	Version   string           `json:"version"`
	Checks    []check          `json:"checks"`
	TimingsMs map[string]int64 `json:"timingsMs"`
}

type options struct {
	ca, cert, key   string
	mechanism, user string
	createUserVia   string
	expectRefused   bool
	bootstrap       string
	topic           string
	records         int
}

var out = result{Client: "franz-go", Version: version(), Checks: []check{}, TimingsMs: map[string]int64{}}

func record(name string, ok bool, format string, args ...any) bool {
	out.Checks = append(out.Checks, check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
	return ok
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/twmb/franz-go" {
				return "franz-go " + d.Version + ", " + bi.GoVersion
			}
		}
	}
	return "franz-go (unknown)"
}

func parseOptions() (options, error) {
	var o options
	flag.StringVar(&o.ca, "ca", "", "PEM file of the CA that signed the server certificate")
	flag.StringVar(&o.cert, "cert", "", "client certificate (PEM), for mTLS")
	flag.StringVar(&o.key, "key", "", "client private key (PEM), for mTLS")
	flag.StringVar(&o.mechanism, "mechanism", "", "SCRAM-SHA-256 or SCRAM-SHA-512; none: no SASL")
	flag.StringVar(&o.user, "user", "", "SASL user (password: KAFSCALE_COMPAT_SASL_PASSWORD)")
	flag.StringVar(&o.createUserVia, "create-user-via", "", "PLAINTEXT listener to create the SCRAM user through")
	flag.BoolVar(&o.expectRefused, "expect-refused", false, "check that the broker refuses the client")
	flag.Parse()
	if flag.NArg() != 3 || o.ca == "" {
		return o, errors.New("usage: compat-franz-go-security -ca FILE [flags] BOOTSTRAP TOPIC RECORDS")
	}
	o.bootstrap, o.topic = flag.Arg(0), flag.Arg(1)
	n, err := strconv.Atoi(flag.Arg(2))
	if err != nil || n < 1 {
		return o, fmt.Errorf("RECORDS must be a positive integer, got %q", flag.Arg(2))
	}
	o.records = n
	return o, nil
}

func tlsConfig(o options) (*tls.Config, error) {
	pem, err := os.ReadFile(o.ca)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", o.ca)
	}
	config := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if o.cert != "" {
		pair, err := tls.LoadX509KeyPair(o.cert, o.key)
		if err != nil {
			return nil, err
		}
		// Always present it: with Certificates, crypto/tls sends none when the server's
		// acceptable CAs did not sign it, and the client would connect anonymously instead.
		config.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return &pair, nil
		}
	}
	return config, nil
}

func password() string { return os.Getenv("KAFSCALE_COMPAT_SASL_PASSWORD") }

// createUser upserts the SCRAM user through a PLAINTEXT listener.
func createUser(o options) bool {
	cl, err := kgo.NewClient(kgo.SeedBrokers(o.createUserVia))
	if err != nil {
		return record("create SCRAM user", false, "client: %v", err)
	}
	defer cl.Close()
	mechanism := kadm.ScramSha256
	if o.mechanism == "SCRAM-SHA-512" {
		mechanism = kadm.ScramSha512
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	altered, err := kadm.NewClient(cl).AlterUserSCRAMs(ctx, nil, []kadm.UpsertSCRAM{
		{User: o.user, Mechanism: mechanism, Iterations: 4096, Password: password()},
	})
	if err == nil {
		err = altered.Error()
	}
	return record("create SCRAM user", err == nil, "%s %s: %v", o.user, o.mechanism, err)
}

func clientOptions(o options) ([]kgo.Opt, error) {
	config, err := tlsConfig(o)
	if err != nil {
		return nil, err
	}
	opts := []kgo.Opt{kgo.SeedBrokers(o.bootstrap), kgo.DialTLSConfig(config)}
	switch o.mechanism {
	case "":
	case "SCRAM-SHA-256":
		opts = append(opts, kgo.SASL(scram.Auth{User: o.user, Pass: password()}.AsSha256Mechanism()))
	case "SCRAM-SHA-512":
		opts = append(opts, kgo.SASL(scram.Auth{User: o.user, Pass: password()}.AsSha512Mechanism()))
	default:
		return nil, fmt.Errorf("unknown mechanism %q", o.mechanism)
	}
	if os.Getenv("KAFSCALE_COMPAT_DEBUG") == "1" {
		opts = append(opts, kgo.WithLogger(kgo.BasicLogger(os.Stderr, kgo.LogLevelDebug, nil)))
	}
	return opts, nil
}

func timed(name string, f func()) {
	start := time.Now()
	f()
	out.TimingsMs[name] = time.Since(start).Milliseconds()
}

func valueOf(i int) string { return "franz-go-secure-" + strconv.Itoa(i) }

func adminSteps(adm *kadm.Client, o options) bool {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	created, err := adm.CreateTopics(ctx, partitions, 1, nil, o.topic)
	if err == nil {
		err = created.Error()
	}
	if !record("create topic", err == nil, "%s: %v", o.topic, err) {
		return false
	}
	listed, err := adm.ListTopics(ctx, o.topic)
	record("list topics", err == nil && listed.Has(o.topic), "has %s: %v, error %v", o.topic, listed.Has(o.topic), err)
	meta, err := adm.BrokerMetadata(ctx)
	advertised := err == nil && len(meta.Brokers) > 0
	seen := []string{}
	for _, b := range meta.Brokers {
		addr := b.Host + ":" + strconv.Itoa(int(b.Port))
		seen = append(seen, addr)
		advertised = advertised && addr == o.bootstrap
	}
	record("advertised address", advertised, "brokers %v, dialled %s, error %v", seen, o.bootstrap, err)
	return true
}

func produce(opts []kgo.Opt, o options) bool {
	cl, err := kgo.NewClient(append(opts, kgo.RequiredAcks(kgo.AllISRAcks()), kgo.DefaultProduceTopic(o.topic))...)
	if err != nil {
		return record("produce", false, "client: %v", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	recs := make([]*kgo.Record, o.records)
	for i := range recs {
		recs[i] = &kgo.Record{Key: []byte(strconv.Itoa(i)), Value: []byte(valueOf(i))}
	}
	acked := 0
	var firstErr error
	for _, r := range cl.ProduceSync(ctx, recs...) {
		if r.Err == nil {
			acked++
		} else if firstErr == nil {
			firstErr = r.Err
		}
	}
	return record("produce", acked == o.records, "%d of %d acknowledged, first error %v", acked, o.records, firstErr)
}

func consumeInGroup(opts []kgo.Opt, o options) {
	cl, err := kgo.NewClient(append(opts,
		kgo.ConsumerGroup(o.topic+"-group"),
		kgo.ConsumeTopics(o.topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
	)...)
	if err != nil {
		record("consume in group", false, "client: %v", err)
		return
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	seen := map[string]int{}
	total := 0
	var fetchErr error
	for total < o.records && ctx.Err() == nil {
		fetches := cl.PollFetches(ctx)
		fetches.EachError(func(t string, p int32, err error) {
			if fetchErr == nil && !errors.Is(err, context.DeadlineExceeded) {
				fetchErr = fmt.Errorf("%s/%d: %w", t, p, err)
			}
		})
		fetches.EachRecord(func(r *kgo.Record) {
			seen[string(r.Value)]++
			total++
		})
	}
	exact := total == o.records
	for i := 0; i < o.records; i++ {
		exact = exact && seen[valueOf(i)] == 1
	}
	commitErr := cl.CommitUncommittedOffsets(ctx)
	record("consume in group", exact && commitErr == nil,
		"%d records read for %d produced (%d distinct), fetch error %v, commit error %v",
		total, o.records, len(seen), fetchErr, commitErr)
}

func committedOffsets(adm *kadm.Client, o options) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	committed, err := adm.FetchOffsets(ctx, o.topic+"-group")
	ends, endErr := adm.ListEndOffsets(ctx, o.topic)
	ok := err == nil && endErr == nil
	detail := []string{}
	ends.Each(func(end kadm.ListedOffset) {
		c, found := committed.Lookup(end.Topic, end.Partition)
		ok = ok && found && c.Err == nil && c.At == end.Offset
		detail = append(detail, fmt.Sprintf("%d: committed %d, end %d", end.Partition, c.At, end.Offset))
	})
	record("committed offsets", ok && len(detail) == partitions, "%v, errors %v / %v", detail, err, endErr)
}

func refused(opts []kgo.Opt, o options) {
	cl, err := kgo.NewClient(append(opts,
		kgo.DefaultProduceTopic(o.topic),
		kgo.RecordDeliveryTimeout(refusedTimeout),
		kgo.RequestRetries(1),
	)...)
	if err != nil {
		record("list topics refused", false, "client: %v", err)
		return
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), refusedTimeout)
	defer cancel()
	_, listErr := kadm.NewClient(cl).ListTopics(ctx)
	record("list topics refused", listErr != nil, "error %v", listErr)
	produceCtx, produceCancel := context.WithTimeout(context.Background(), refusedTimeout)
	defer produceCancel()
	produceErr := cl.ProduceSync(produceCtx, &kgo.Record{Value: []byte("never")}).FirstErr()
	record("produce refused", produceErr != nil, "error %v", produceErr)
}

func run(o options) error {
	opts, err := clientOptions(o)
	if err != nil {
		return err
	}
	if o.createUserVia != "" {
		created := false
		timed("create user", func() { created = createUser(o) })
		if !created {
			return nil
		}
	}
	if o.expectRefused {
		timed("refused", func() { refused(opts, o) })
		return nil
	}
	admin, err := kgo.NewClient(opts...)
	if err != nil {
		return err
	}
	defer admin.Close()
	adm := kadm.NewClient(admin)
	created := false
	timed("admin", func() { created = adminSteps(adm, o) })
	if !created {
		return nil
	}
	produced := false
	timed("produce", func() { produced = produce(opts, o) })
	if !produced {
		return nil
	}
	timed("consume", func() { consumeInGroup(opts, o) })
	timed("offsets", func() { committedOffsets(adm, o) })
	return nil
}

func main() {
	o, err := parseOptions()
	if err == nil {
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
