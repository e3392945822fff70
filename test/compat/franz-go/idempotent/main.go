// Command compat-franz-go-idempotent runs the idempotent-producer fault scenario
// (test/integration/cluster/idempotent-faults.test.ts) with franz-go: a client with the
// default producer settings (idempotent, acks=all, unlimited retries; only the manual
// partitioner is chosen, so that record i goes to partition i % PARTITIONS) produces
// RECORDS records asynchronously to TOPIC (which must exist, empty). Record i carries a
// 100-byte value "p<partition> s<seq> ..." with seq = i / PARTITIONS. Every promise is
// tallied (the acknowledged offset must equal seq). A direct consumer (ConsumePartitions,
// no group) then reads every partition to its end and checks that each holds seq 0..n-1
// exactly once, in order, at offsets 0..n-1.
//
// While producing it prints "progress acked=A failed=F sent=S ms=T" on stderr every
// 100 ms; the client's own log (info level) goes to stderr too. The last stdout line is
// the result JSON.
//
// Usage: compat-franz-go-idempotent BOOTSTRAP TOPIC RECORDS [PARTITIONS]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

const valueBytes = 100
const maxListed = 50

type partitionResult struct {
	Partition          int   `json:"partition"`
	Expected           int   `json:"expected"`
	Acked              int   `json:"acked"`
	EndOffset          int64 `json:"endOffset"`
	Consumed           int64 `json:"consumed"`
	Distinct           int   `json:"distinct"`
	Duplicates         int64 `json:"duplicates"`
	Missing            int   `json:"missing"`
	MissingAcked       int   `json:"missingAcked"`
	OutOfOrder         int64 `json:"outOfOrder"`
	OffsetBreaks       int64 `json:"offsetBreaks"`
	Foreign            int64 `json:"foreign"`
	MaxAckGapMs        int64 `json:"maxAckGapMs"`
	MaxAckGapEndedAtMs int64 `json:"maxAckGapEndedAtMs"`
}

type result struct {
	Client              string            `json:"client"`
	Version             string            `json:"version"`
	Records             int               `json:"records"`
	Partitions          int               `json:"partitions"`
	Acked               int64             `json:"acked"`
	Failed              int64             `json:"failed"`
	AckOffsetMismatches int64             `json:"ackOffsetMismatches"`
	Failures            map[string]int    `json:"failures"`
	FailedSamples       []string          `json:"failedSamples"`
	Retries             int64             `json:"retries"`
	ClientMetrics       map[string]int64  `json:"clientMetrics"`
	LogCounts           map[string]int    `json:"logCounts"`
	StartedAtMs         int64             `json:"startedAtMs"`
	ProduceDoneAtMs     int64             `json:"produceDoneAtMs"`
	ProduceMs           int64             `json:"produceMs"`
	ConsumeMs           int64             `json:"consumeMs"`
	MaxAckGapMs         int64             `json:"maxAckGapMs"`
	MaxAckGapEndedAtMs  int64             `json:"maxAckGapEndedAtMs"`
	PartitionResults    []partitionResult `json:"partitionResults"`
	Mismatches          []string          `json:"mismatches"`
}

var (
	mu         sync.Mutex
	mismatches = []string{}
)

func mismatch(format string, args ...any) {
	mu.Lock()
	defer mu.Unlock()
	if len(mismatches) < maxListed {
		mismatches = append(mismatches, fmt.Sprintf(format, args...))
	} else if len(mismatches) == maxListed {
		mismatches = append(mismatches, "... more mismatches omitted")
	}
}

func valueOf(p, seq int) []byte {
	v := bytes.Repeat([]byte{'.'}, valueBytes)
	copy(v, fmt.Sprintf("p%d s%d ", p, seq))
	return v
}

// parse returns (partition, seq, ok) of one of our values.
func parse(v []byte) (int, int, bool) {
	if len(v) != valueBytes || v[0] != 'p' {
		return 0, 0, false
	}
	f := strings.Fields(string(v[:30]))
	if len(f) < 2 || !strings.HasPrefix(f[1], "s") {
		return 0, 0, false
	}
	p, err1 := strconv.Atoi(f[0][1:])
	s, err2 := strconv.Atoi(f[1][1:])
	return p, s, err1 == nil && err2 == nil
}

func perPartition(n, partitions, p int) int {
	extra := 0
	if p < n%partitions {
		extra = 1
	}
	return n/partitions + extra
}

// countingLogger forwards franz-go's log to stderr and counts the messages (the produce
// errors it retries are logged at info level: "batch in a produce request failed", ...).
type countingLogger struct {
	inner  kgo.Logger
	mu     sync.Mutex
	counts map[string]int
}

func (l *countingLogger) Level() kgo.LogLevel { return kgo.LogLevelInfo }

func (l *countingLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	key := msg
	for i := 0; i+1 < len(keyvals); i += 2 {
		if keyvals[i] == "err" && keyvals[i+1] != nil {
			key = fmt.Sprintf("%s: %v", msg, keyvals[i+1])
		}
	}
	l.mu.Lock()
	l.counts[key]++
	l.mu.Unlock()
	l.inner.Log(level, msg, keyvals...)
}

type hooks struct {
	produceRequests, writeErrors, readErrors, connects, connectErrors, batchesWritten atomic.Int64
}

func (h *hooks) OnBrokerWrite(_ kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if err != nil {
		h.writeErrors.Add(1)
	} else if key == 0 {
		h.produceRequests.Add(1)
	}
}

func (h *hooks) OnBrokerRead(_ kgo.BrokerMetadata, _ int16, _ int, _, _ time.Duration, err error) {
	if err != nil {
		h.readErrors.Add(1)
	}
}

func (h *hooks) OnBrokerConnect(_ kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err != nil {
		h.connectErrors.Add(1)
	} else {
		h.connects.Add(1)
	}
}

func (h *hooks) OnProduceBatchWritten(_ kgo.BrokerMetadata, _ string, _ int32, _ kgo.ProduceBatchMetrics) {
	h.batchesWritten.Add(1)
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

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
		os.Exit(2)
	}
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: compat-franz-go-idempotent BOOTSTRAP TOPIC RECORDS [PARTITIONS]")
		os.Exit(2)
	}
	seeds := strings.Split(os.Args[1], ",")
	topic := os.Args[2]
	n, err := strconv.Atoi(os.Args[3])
	must(err, "records")
	partitions := 3
	if len(os.Args) > 4 {
		partitions, err = strconv.Atoi(os.Args[4])
		must(err, "partitions")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	logger := &countingLogger{inner: kgo.BasicLogger(os.Stderr, kgo.LogLevelInfo, nil), counts: map[string]int{}}
	h := &hooks{}
	ackOffset := make([][]int64, partitions)
	for p := range ackOffset {
		ackOffset[p] = make([]int64, perPartition(n, partitions, p))
		for s := range ackOffset[p] {
			ackOffset[p][s] = -1
		}
	}
	var acked, failed, sent, ackOffsetMismatches, dataLoss atomic.Int64
	failures := map[string]int{}
	failedSamples := []string{}
	var lastAck time.Time
	var maxGap time.Duration
	var maxGapEnded time.Time
	lastAckP := make([]time.Time, partitions)
	maxGapP := make([]time.Duration, partitions)
	maxGapEndedP := make([]time.Time, partitions)

	opts := []kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.ClientID("idempotent-franz-go"),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.WithLogger(logger),
		kgo.WithHooks(h),
		kgo.ProducerOnDataLossDetected(func(t string, p int32) {
			dataLoss.Add(1)
			mismatch("franz-go detected data loss on %s/%d (OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID)", t, p)
		}),
	}
	// KAFSCALE_FAULT_IDEMPOTENCE=false: a control run, to see what the faults do without
	// idempotence (duplicates are expected then).
	if os.Getenv("KAFSCALE_FAULT_IDEMPOTENCE") == "false" {
		opts = append(opts, kgo.DisableIdempotentWrite())
	}
	cl, err := kgo.NewClient(opts...)
	must(err, "client")

	started := time.Now()
	tickDone := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			fmt.Fprintf(os.Stderr, "progress acked=%d failed=%d sent=%d ms=%d\n", acked.Load(), failed.Load(), sent.Load(), time.Since(started).Milliseconds())
			select {
			case <-tickDone:
				return
			case <-t.C:
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		p, seq := i%partitions, i/partitions
		wg.Add(1)
		cl.Produce(ctx, &kgo.Record{Topic: topic, Partition: int32(p), Value: valueOf(p, seq)}, func(r *kgo.Record, err error) {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed.Add(1)
				key := err.Error()
				failures[key]++
				if len(failedSamples) < 20 {
					failedSamples = append(failedSamples, fmt.Sprintf("p%d seq %d: %v", p, seq, err))
				}
				return
			}
			now := time.Now()
			if !lastAck.IsZero() && now.Sub(lastAck) > maxGap {
				maxGap, maxGapEnded = now.Sub(lastAck), now
			}
			lastAck = now
			if !lastAckP[p].IsZero() && now.Sub(lastAckP[p]) > maxGapP[p] {
				maxGapP[p], maxGapEndedP[p] = now.Sub(lastAckP[p]), now
			}
			lastAckP[p] = now
			ackOffset[p][seq] = r.Offset
			if r.Offset != int64(seq) {
				if ackOffsetMismatches.Add(1) <= 10 && len(mismatches) < maxListed {
					mismatches = append(mismatches, fmt.Sprintf("p%d seq %d: acknowledged at offset %d, expected %d", p, seq, r.Offset, seq))
				}
			}
			acked.Add(1)
		})
		sent.Add(1)
	}
	wg.Wait()
	close(tickDone)
	produceDone := time.Now()
	fmt.Fprintf(os.Stderr, "progress acked=%d failed=%d sent=%d ms=%d done\n", acked.Load(), failed.Load(), sent.Load(), time.Since(started).Milliseconds())
	cl.Close()

	// Read everything back.
	t := time.Now()
	admCl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	must(err, "admin client")
	adm := kadm.NewClient(admCl)
	// Retried: right after an edge is killed, metadata may still name it for a few seconds
	// (until its registration lease expires) and kadm does not retry a failed shard.
	var ends kadm.ListedOffsets
	for attempt := 1; ; attempt++ {
		ends, err = adm.ListEndOffsets(ctx, topic)
		if err == nil {
			err = ends.Error()
		}
		if err == nil {
			break
		}
		fmt.Fprintf(os.Stderr, "ListEndOffsets attempt %d: %v\n", attempt, err)
		if attempt == 60 {
			must(err, "ListEndOffsets")
		}
		time.Sleep(500 * time.Millisecond)
	}
	admCl.Close()
	endOffset := make([]int64, partitions)
	for p := range endOffset {
		if e, ok := ends.Lookup(topic, int32(p)); ok {
			endOffset[p] = e.Offset
		}
	}
	assign := map[string]map[int32]kgo.Offset{topic: {}}
	for p := 0; p < partitions; p++ {
		assign[topic][int32(p)] = kgo.NewOffset().AtStart()
	}
	cons, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumePartitions(assign), kgo.FetchMaxBytes(64<<20))
	must(err, "consumer")
	nextOffset := make([]int64, partitions)
	nextSeq := make([]int, partitions)
	consumed := make([]int64, partitions)
	duplicates := make([]int64, partitions)
	outOfOrder := make([]int64, partitions)
	offsetBreaks := make([]int64, partitions)
	foreign := make([]int64, partitions)
	seen := make([][]bool, partitions)
	for p := range seen {
		seen[p] = make([]bool, perPartition(n, partitions, p))
	}
	lastProgress := time.Now()
	for ctx.Err() == nil {
		done := true
		for p := 0; p < partitions; p++ {
			if nextOffset[p] < endOffset[p] {
				done = false
			}
		}
		if done {
			break
		}
		if time.Since(lastProgress) > time.Minute {
			mismatch("consume stopped before the end: next offsets %v, end offsets %v", nextOffset, endOffset)
			break
		}
		pollCtx, pollCancel := context.WithTimeout(ctx, time.Second)
		fetches := cons.PollFetches(pollCtx)
		pollCancel()
		fetches.EachError(func(t string, p int32, err error) {
			if err != context.DeadlineExceeded {
				mismatch("%s/%d: fetch error: %v", t, p, err)
			}
		})
		fetches.EachRecord(func(r *kgo.Record) {
			lastProgress = time.Now()
			p := int(r.Partition)
			consumed[p]++
			if r.Offset != nextOffset[p] {
				offsetBreaks[p]++
				mismatch("p%d: offset %d read after %d", p, r.Offset, nextOffset[p]-1)
			}
			nextOffset[p] = r.Offset + 1
			vp, seq, ok := parse(r.Value)
			if !ok || vp != p || seq < 0 || seq >= len(seen[p]) {
				foreign[p]++
				mismatch("p%d@%d: unexpected value %q", p, r.Offset, r.Value[:min(30, len(r.Value))])
				return
			}
			if seen[p][seq] {
				duplicates[p]++
				mismatch("p%d@%d: seq %d again (duplicate)", p, r.Offset, seq)
			} else if seq != nextSeq[p] {
				outOfOrder[p]++
				mismatch("p%d@%d: seq %d where %d was next", p, r.Offset, seq, nextSeq[p])
			}
			seen[p][seq] = true
			if seq >= nextSeq[p] {
				nextSeq[p] = seq + 1
			}
		})
	}
	cons.Close()
	consumeMs := time.Since(t).Milliseconds()

	res := result{
		Client: "franz-go", Version: version(), Records: n, Partitions: partitions,
		Acked: acked.Load(), Failed: failed.Load(), AckOffsetMismatches: ackOffsetMismatches.Load(),
		Failures: failures, FailedSamples: failedSamples,
		StartedAtMs: started.UnixMilli(), ProduceDoneAtMs: produceDone.UnixMilli(),
		ProduceMs: produceDone.Sub(started).Milliseconds(), ConsumeMs: consumeMs,
		MaxAckGapMs: maxGap.Milliseconds(),
	}
	if !maxGapEnded.IsZero() {
		res.MaxAckGapEndedAtMs = maxGapEnded.UnixMilli()
	}
	logger.mu.Lock()
	res.LogCounts = logger.counts
	var batchRetries, requestRetries int64
	for k, c := range logger.counts {
		if strings.HasPrefix(k, "batch in a produce request failed") {
			batchRetries += int64(c)
		}
		if strings.HasPrefix(k, "produce request failed") || strings.HasPrefix(k, "random error while producing") {
			requestRetries += int64(c)
		}
	}
	logger.mu.Unlock()
	// Not a per-record count (franz-go exposes none): partition batches refused by the
	// broker plus whole produce requests that failed, both of which the client retries.
	res.Retries = batchRetries + requestRetries
	res.ClientMetrics = map[string]int64{
		"failedBatchAttempts":   batchRetries,
		"failedProduceRequests": requestRetries,
		"produceRequests":       h.produceRequests.Load(),
		"batchesWritten":        h.batchesWritten.Load(),
		"brokerWriteErrors":     h.writeErrors.Load(),
		"brokerReadErrors":      h.readErrors.Load(),
		"connects":              h.connects.Load(),
		"connectErrors":         h.connectErrors.Load(),
		"dataLossDetected":      dataLoss.Load(),
	}
	for p := 0; p < partitions; p++ {
		distinct, notAcked, missingAcked := 0, 0, 0
		for s := range seen[p] {
			if seen[p][s] {
				distinct++
			}
			if ackOffset[p][s] < 0 {
				notAcked++
			} else if !seen[p][s] {
				missingAcked++
			}
		}
		if missingAcked > 0 {
			mismatch("p%d: %d acknowledged records not read back", p, missingAcked)
		}
		pr := partitionResult{
			Partition: p, Expected: len(seen[p]), Acked: len(seen[p]) - notAcked, EndOffset: endOffset[p],
			Consumed: consumed[p], Distinct: distinct, Duplicates: duplicates[p], Missing: len(seen[p]) - distinct,
			MissingAcked: missingAcked, OutOfOrder: outOfOrder[p], OffsetBreaks: offsetBreaks[p], Foreign: foreign[p],
			MaxAckGapMs: maxGapP[p].Milliseconds(),
		}
		if !maxGapEndedP[p].IsZero() {
			pr.MaxAckGapEndedAtMs = maxGapEndedP[p].UnixMilli()
		}
		res.PartitionResults = append(res.PartitionResults, pr)
	}
	mu.Lock()
	res.Mismatches = mismatches
	out, err := json.Marshal(res)
	mu.Unlock()
	must(err, "json")
	fmt.Println(string(out))
}
