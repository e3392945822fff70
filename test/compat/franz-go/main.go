// Command compat-franz-go runs the compatibility scenario (test/compat/README.md) with
// franz-go against a broker: kadm creates compat-franz-go-a (4 partitions) and -b (1),
// one producer per codec (acks=all, idempotence off, manual partitioner, explicit
// CreateTime) sends the records plus one 1 MiB record, a direct (group-less) consumer reads
// every partition from the start, and kadm asks ListOffsets for earliest, latest and by
// timestamp. The last stdout line is the CompatResult JSON.
//
// Usage: compat-franz-go BOOTSTRAP [RECORDS]   (KAFSCALE_COMPAT_DEBUG=1 logs at debug level)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

type tp struct {
	Topic     string
	Partition int32
}

type byTimestamp struct {
	Timestamp int64 `json:"timestamp"`
	Offset    int64 `json:"offset"`
	Expected  int64 `json:"expected"`
}

type partitionResult struct {
	Topic       string       `json:"topic"`
	Partition   int32        `json:"partition"`
	Acked       int          `json:"acked"`
	Consumed    int          `json:"consumed"`
	Earliest    int64        `json:"earliest"`
	Latest      int64        `json:"latest"`
	ByTimestamp *byTimestamp `json:"byTimestamp"`
}

type result struct {
	Client     string            `json:"client"`
	Version    string            `json:"version"`
	Records    int               `json:"records"`
	Codecs     []string          `json:"codecs"`
	Partitions []partitionResult `json:"partitions"`
	Mismatches []string          `json:"mismatches"`
	TimingsMs  map[string]int64  `json:"timingsMs"`
}

var codecs = []struct {
	name  string
	codec kgo.CompressionCodec
}{
	{"none", kgo.NoCompression()},
	{"gzip", kgo.GzipCompression()},
	{"snappy", kgo.SnappyCompression()},
	{"lz4", kgo.Lz4Compression()},
	{"zstd", kgo.ZstdCompression()},
}

var (
	mu         sync.Mutex
	mismatches = []string{}
)

func mismatch(format string, args ...any) {
	mu.Lock()
	defer mu.Unlock()
	if len(mismatches) < 50 {
		mismatches = append(mismatches, fmt.Sprintf(format, args...))
	} else if len(mismatches) == 50 {
		mismatches = append(mismatches, "... more mismatches omitted")
	}
}

func placement(i int) (string, int32) {
	if i%5 == 4 {
		return "b", 0
	}
	return "a", int32(i % 4)
}

func keyOf(i int) []byte {
	if i%7 == 0 {
		return nil
	}
	return []byte(fmt.Sprintf("key-%d", i))
}

func valueOf(i int) []byte {
	if i%11 == 0 {
		return nil
	}
	return []byte(fmt.Sprintf("value-%d-%s", i, strings.Repeat("x", i%100)))
}

func headersOf(i int) []kgo.RecordHeader {
	switch i % 3 {
	case 0:
		return nil
	case 1:
		return []kgo.RecordHeader{{Key: "h-index", Value: []byte(strconv.Itoa(i))}}
	default:
		return []kgo.RecordHeader{{Key: "h-index", Value: []byte(strconv.Itoa(i))}, {Key: "h-empty", Value: []byte{}}}
	}
}

func bigValue() []byte {
	b := make([]byte, 1<<20)
	for j := range b {
		b[j] = byte(97 + j%26)
	}
	return b
}

// sameBytes is byte equality that also tells null (nil) from empty.
func sameBytes(a, b []byte) bool {
	return (a == nil) == (b == nil) && bytes.Equal(a, b)
}

func sameHeaders(a, b []kgo.RecordHeader) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || !bytes.Equal(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
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
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compat-franz-go BOOTSTRAP [RECORDS]")
		os.Exit(2)
	}
	bootstrap := os.Args[1]
	n := 100000
	if len(os.Args) > 2 {
		v, err := strconv.Atoi(os.Args[2])
		must(err, "records")
		n = v
	}
	topics := map[string]string{"a": "compat-franz-go-a", "b": "compat-franz-go-b"}
	all := []tp{{topics["a"], 0}, {topics["a"], 1}, {topics["a"], 2}, {topics["a"], 3}, {topics["b"], 0}}
	base := []kgo.Opt{kgo.SeedBrokers(bootstrap), kgo.ClientID("compat-franz-go")}
	if os.Getenv("KAFSCALE_COMPAT_DEBUG") != "" {
		base = append(base, kgo.WithLogger(kgo.BasicLogger(os.Stderr, kgo.LogLevelDebug, nil)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	timings := map[string]int64{}

	t := time.Now()
	admCl, err := kgo.NewClient(base...)
	must(err, "client")
	adm := kadm.NewClient(admCl)
	// The producers below build batches of up to 4 MiB (ProducerBatchMaxBytes), so both
	// topics allow them: Kafka's default max.message.bytes (1048588) would refuse them.
	bigBatches := "4194304"
	batchLimit := map[string]*string{"max.message.bytes": &bigBatches}
	created, err := adm.CreateTopics(ctx, 4, -1, batchLimit, topics["a"])
	must(err, "CreateTopics a")
	must(created.Error(), "CreateTopics a")
	created, err = adm.CreateTopics(ctx, 1, -1, batchLimit, topics["b"])
	must(err, "CreateTopics b")
	must(created.Error(), "CreateTopics b")
	timings["createTopics"] = time.Since(t).Milliseconds()

	t0 := time.Now().UnixMilli() - int64(10*n) - 60000
	big := bigValue()
	// acked[tp][offset] = record number (n is the big record)
	acked := map[tp]map[int64]int{}
	sent := map[tp][]int{}
	for _, p := range all {
		acked[p] = map[int64]int{}
	}
	expectedRecord := func(i int) *kgo.Record {
		if i == n {
			return &kgo.Record{Key: []byte("big"), Value: big, Headers: []kgo.RecordHeader{{Key: "h-big", Value: []byte("1")}}, Timestamp: time.UnixMilli(t0 + int64(n))}
		}
		return &kgo.Record{Key: keyOf(i), Value: valueOf(i), Headers: headersOf(i), Timestamp: time.UnixMilli(t0 + int64(i))}
	}

	t = time.Now()
	for c, codec := range codecs {
		cl, err := kgo.NewClient(append(base,
			kgo.DisableIdempotentWrite(),
			kgo.RequiredAcks(kgo.AllISRAcks()),
			kgo.ProducerBatchCompression(codec.codec),
			kgo.RecordPartitioner(kgo.ManualPartitioner()),
			kgo.ProducerBatchMaxBytes(4<<20),
			kgo.ProducerLinger(5*time.Millisecond),
		)...)
		must(err, "producer")
		var wg sync.WaitGroup
		produce := func(i int, topic string, partition int32) {
			r := expectedRecord(i)
			r.Topic = topic
			r.Partition = partition
			key := tp{topic, partition}
			sent[key] = append(sent[key], i)
			wg.Add(1)
			cl.Produce(ctx, r, func(r *kgo.Record, err error) {
				defer wg.Done()
				if err != nil {
					mismatch("record %d (%s): produce failed: %v", i, codec.name, err)
					return
				}
				mu.Lock()
				acked[tp{r.Topic, r.Partition}][r.Offset] = i
				mu.Unlock()
			})
		}
		for i := c * n / len(codecs); i < (c+1)*n/len(codecs); i++ {
			topic, p := placement(i)
			produce(i, topics[topic], p)
		}
		if c == len(codecs)-1 {
			produce(n, topics["b"], 0)
		}
		wg.Wait()
		cl.Close()
	}
	timings["produce"] = time.Since(t).Milliseconds()

	for _, p := range all {
		offs := make([]int64, 0, len(acked[p]))
		for o := range acked[p] {
			offs = append(offs, o)
		}
		sort.Slice(offs, func(a, b int) bool { return offs[a] < offs[b] })
		delivered := map[int]bool{}
		for k, o := range offs {
			if o != int64(k) {
				mismatch("%s/%d: acked offsets are not 0..%d", p.Topic, p.Partition, len(offs)-1)
				break
			}
			delivered[acked[p][o]] = true
		}
		var order []int
		for _, i := range sent[p] {
			if delivered[i] {
				order = append(order, i)
			}
		}
		for k, o := range offs {
			if k < len(order) && acked[p][o] != order[k] {
				mismatch("%s/%d: acked offsets do not follow produce order (offset %d)", p.Topic, p.Partition, o)
				break
			}
		}
	}

	t = time.Now()
	starts, err := adm.ListStartOffsets(ctx, topics["a"], topics["b"])
	must(err, "ListStartOffsets")
	must(starts.Error(), "ListStartOffsets")
	ends, err := adm.ListEndOffsets(ctx, topics["a"], topics["b"])
	must(err, "ListEndOffsets")
	must(ends.Error(), "ListEndOffsets")
	byTs := map[tp]*byTimestamp{}
	for _, p := range all {
		count := len(acked[p])
		if count < 2 {
			continue
		}
		m := count / 2
		ts := expectedRecord(acked[p][int64(m-1)]).Timestamp.UnixMilli() + 1
		got, err := adm.ListOffsetsAfterMilli(ctx, ts, p.Topic)
		must(err, "ListOffsetsAfterMilli")
		o, ok := got.Lookup(p.Topic, p.Partition)
		if !ok {
			mismatch("%s/%d: no ListOffsets answer for timestamp %d", p.Topic, p.Partition, ts)
			continue
		}
		if o.Err != nil {
			mismatch("%s/%d: ListOffsets by timestamp: %v", p.Topic, p.Partition, o.Err)
		}
		byTs[p] = &byTimestamp{Timestamp: ts, Offset: o.Offset, Expected: int64(m)}
	}
	timings["listOffsets"] = time.Since(t).Milliseconds()
	admCl.Close()

	t = time.Now()
	assign := map[string]map[int32]kgo.Offset{}
	for _, p := range all {
		if assign[p.Topic] == nil {
			assign[p.Topic] = map[int32]kgo.Offset{}
		}
		assign[p.Topic][p.Partition] = kgo.NewOffset().AtStart()
	}
	cons, err := kgo.NewClient(append(base, kgo.ConsumePartitions(assign))...)
	must(err, "consumer")
	next := map[tp]int64{}
	remaining := map[tp]bool{}
	for _, p := range all {
		if e, ok := ends.Lookup(p.Topic, p.Partition); ok && e.Offset > 0 {
			remaining[p] = true
		}
	}
	for len(remaining) > 0 && ctx.Err() == nil {
		fetches := cons.PollFetches(ctx)
		fetches.EachError(func(topic string, partition int32, err error) {
			mismatch("%s/%d: fetch error: %v", topic, partition, err)
		})
		fetches.EachRecord(func(r *kgo.Record) {
			p := tp{r.Topic, r.Partition}
			if r.Offset != next[p] {
				mismatch("%s/%d: got offset %d, expected %d", p.Topic, p.Partition, r.Offset, next[p])
			}
			next[p] = r.Offset + 1
			i, ok := acked[p][r.Offset]
			if !ok {
				mismatch("%s/%d@%d: not an acknowledged offset", p.Topic, p.Partition, r.Offset)
			} else {
				e := expectedRecord(i)
				if !sameBytes(r.Key, e.Key) {
					mismatch("%s/%d@%d: key %q != %q", p.Topic, p.Partition, r.Offset, r.Key, e.Key)
				}
				if !sameBytes(r.Value, e.Value) {
					mismatch("%s/%d@%d: value (%d bytes, nil=%v) != (%d bytes, nil=%v)", p.Topic, p.Partition, r.Offset, len(r.Value), r.Value == nil, len(e.Value), e.Value == nil)
				}
				if !sameHeaders(r.Headers, e.Headers) {
					mismatch("%s/%d@%d: headers %v != %v", p.Topic, p.Partition, r.Offset, r.Headers, e.Headers)
				}
				if !r.Timestamp.Equal(e.Timestamp) {
					mismatch("%s/%d@%d: timestamp %d != %d", p.Topic, p.Partition, r.Offset, r.Timestamp.UnixMilli(), e.Timestamp.UnixMilli())
				}
			}
			if e, ok := ends.Lookup(p.Topic, p.Partition); ok && next[p] >= e.Offset {
				delete(remaining, p)
			}
		})
	}
	if len(remaining) > 0 {
		mismatch("consume stopped (%v) with partitions not read to the end: %v", ctx.Err(), remaining)
	}
	cons.Close()
	timings["consume"] = time.Since(t).Milliseconds()

	res := result{Client: "franz-go", Version: version(), Records: n + 1, Mismatches: mismatches, TimingsMs: timings}
	for _, c := range codecs {
		res.Codecs = append(res.Codecs, c.name)
	}
	for _, p := range all {
		pr := partitionResult{Topic: p.Topic, Partition: p.Partition, Acked: len(acked[p]), Consumed: int(next[p]), ByTimestamp: byTs[p]}
		if s, ok := starts.Lookup(p.Topic, p.Partition); ok {
			pr.Earliest = s.Offset
		} else {
			pr.Earliest = -1
		}
		if e, ok := ends.Lookup(p.Topic, p.Partition); ok {
			pr.Latest = e.Offset
		} else {
			pr.Latest = -1
		}
		res.Partitions = append(res.Partitions, pr)
	}
	out, err := json.Marshal(res)
	must(err, "json")
	fmt.Println(string(out))
}
