// Command compat-franz-go-admin runs the admin-API compatibility scenario with franz-go (kadm,
// and kmsg where kadm has no call) against a broker. Topics are named
// compat-franz-go-admin-<what>-<run id>, so it can run again against the same broker. Each step
// makes named checks of what the broker answered:
//
//  1. CreateTopics: ValidateCreateTopics creates nothing; "cfg" (3 partitions, retention.ms and
//     cleanup.policy set; the response echoes them) and "log" (1 partition) are created;
//     Metadata and ListTopics show them; creating "cfg" again is TOPIC_ALREADY_EXISTS; an
//     unknown config name and a bad value are INVALID_CONFIG.
//  2. DescribeTopicConfigs: the overrides (DYNAMIC_TOPIC_CONFIG, with the broker synonym
//     DEFAULT_CONFIG after them) and defaults (DEFAULT_CONFIG); with documentation (kmsg): the
//     type and text; DescribeBrokerConfigs: broker.id, read-only; a missing topic is
//     UNKNOWN_TOPIC_OR_PARTITION.
//  3. AlterTopicConfigs (IncrementalAlterConfigs): SET and APPEND, SUBTRACT, DELETE (back to
//     the default), each seen by DescribeTopicConfigs; ValidateAlterTopicConfigs changes
//     nothing; an unknown name (INVALID_CONFIG naming it), a bad value and APPEND to a
//     non-list are INVALID_CONFIG.
//  4. AlterTopicConfigsState (AlterConfigs): replaces every override; an unknown name is
//     INVALID_CONFIG.
//  5. CreatePartitions: 3 -> 5 (ValidateCreatePartitions first changes nothing); a record
//     produced to the new partition 4 right after is acknowledged and read back;
//     UpdatePartitions to 3 is INVALID_PARTITIONS.
//  6. Offsets on "log" (100 records, CreateTime t0 + 10 i, kgo's default idempotent producer):
//     ListStartOffsets, ListEndOffsets, ListOffsetsAfterMilli (between two records, exactly
//     on one, after the last: the end offset), ListMaxTimestampOffsets; OffsetForLeaderEpoch
//     at the current epoch answers the end offset; DescribeProducers shows the producer with
//     last sequence 99.
//  7. DeleteRecords to 30: low watermark 30, start offset 30, a time below it answers 30, a
//     consumer from 0 (kgo's default reset: the start) reads 30..99, one without reset gets
//     OFFSET_OUT_OF_RANGE; past the high watermark is OFFSET_OUT_OF_RANGE.
//  8. DescribeCluster (kmsg): Metadata's cluster id and brokers, the controller among them.
//  9. ElectLeaders (preferred, unclean): ELECTION_NOT_NEEDED; an unknown partition
//     UNKNOWN_TOPIC_OR_PARTITION.
//  10. DeleteTopics: gone from Metadata and DescribeTopicConfigs; again
//     UNKNOWN_TOPIC_OR_PARTITION.
//  11. max.message.bytes=10000 (at creation): a 20,000-byte record (random bytes, so that kgo's
//     default compression leaves it that large) is MESSAGE_TOO_LARGE, a 5,000-byte one is
//     accepted; after AlterTopicConfigs SET 30000 the 20,000-byte one is too.
//  12. message.timestamp.type=LogAppendTime (at creation): a record sent with a CreateTime an
//     hour old is consumed with the broker's append time and timestamp type LogAppendTime.
//
// A step that fails outright is reported as a failed check and the next step runs. The last
// stdout line is {"client","version","checks":[{name,ok,detail}],"timingsMs"}.
//
// Usage: compat-franz-go-admin BOOTSTRAP   (KAFSCALE_COMPAT_DEBUG=1 logs at debug level)
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

const (
	opTimeout          = 30 * time.Second
	records            = 100
	deleteTo           = 30
	stepMs             = 10
	hourMs             = 3_600_000
	defaultRetentionMs = "604800000"
	maxMessageBytes    = 10_000
)

type check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

var checks = []check{}

func add(name string, ok bool, format string, args ...any) bool {
	c := check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)}
	checks = append(checks, c)
	status := "ok  "
	if !ok {
		status = "FAIL"
	}
	fmt.Fprintf(os.Stderr, "%s %s: %s\n", status, c.Name, c.Detail)
	return ok
}

// ctx is a context for one admin call: it ends after opTimeout.
func ctx() context.Context {
	c, cancel := context.WithTimeout(context.Background(), opTimeout)
	time.AfterFunc(opTimeout, cancel)
	return c
}

func nowMs() int64 { return time.Now().UnixMilli() }

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// expectErr checks that err (or the response's err) is want, and that msg names mention.
func expectErr(name string, err error, msg string, want *kerr.Error, mention string) {
	ok := errors.Is(err, want) && strings.Contains(msg, mention)
	expected := want.Message
	if mention != "" {
		expected += fmt.Sprintf(" naming %q", mention)
	}
	add(name, ok, "expected %s; got %s (message %q)", expected, errText(err), msg)
}

type scenario struct {
	base               []kgo.Opt
	cl                 *kgo.Client
	adm                *kadm.Client
	cfg, log, big, lat string
	t0                 int64
	producerID         int64
	producerEpoch      int16
	timings            map[string]int64
}

func newScenario(bootstrap string) (*scenario, error) {
	base := []kgo.Opt{kgo.SeedBrokers(bootstrap), kgo.ClientID("compat-franz-go-admin")}
	if os.Getenv("KAFSCALE_COMPAT_DEBUG") != "" {
		base = append(base, kgo.WithLogger(kgo.BasicLogger(os.Stderr, kgo.LogLevelDebug, nil)))
	}
	cl, err := kgo.NewClient(base...)
	if err != nil {
		return nil, err
	}
	run := strconv.FormatInt(nowMs(), 16)
	run = run[len(run)-8:]
	name := func(what string) string { return "compat-franz-go-admin-" + what + "-" + run }
	return &scenario{
		base: base, cl: cl, adm: kadm.NewClient(cl),
		cfg: name("cfg"), log: name("log"), big: name("maxbytes"), lat: name("appendtime"),
		t0: nowMs() - hourMs, timings: map[string]int64{},
	}, nil
}

// run runs one step; an error or a panic is a failed check, and the next step runs.
func (s *scenario) run(name string, step func() error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			add(name+": step ran to the end", false, "panic: %v\n%s", r, debug.Stack())
		}
		s.timings[name] = time.Since(start).Milliseconds()
	}()
	if err := step(); err != nil {
		add(name+": step ran to the end", false, "%v", err)
	}
}

func short(topic string) string { return strings.Split(topic, "-")[4] }

func (s *scenario) ts(i int) int64 { return s.t0 + int64(stepMs*i) }

// --- configs -------------------------------------------------------------------------------

func findConfig(rc kadm.ResourceConfig, name string) *kadm.Config {
	for i := range rc.Configs {
		if rc.Configs[i].Key == name {
			return &rc.Configs[i]
		}
	}
	return nil
}

func fmtConfig(c *kadm.Config) string {
	if c == nil {
		return "missing"
	}
	syn := make([]string, 0, len(c.Synonyms))
	for _, sy := range c.Synonyms {
		v := "<nil>"
		if sy.Value != nil {
			v = *sy.Value
		}
		syn = append(syn, fmt.Sprintf("%s=%s %s", sy.Key, v, sy.Source))
	}
	return fmt.Sprintf("%q %s synonyms %v", c.MaybeValue(), c.Source, syn)
}

func hasConfig(c *kadm.Config, value string, source kmsg.ConfigSource) bool {
	return c != nil && c.Value != nil && *c.Value == value && c.Source == source
}

// topicConfigs describes one topic; the resource's own error is returned as the error.
func (s *scenario) topicConfigs(topic string) (kadm.ResourceConfig, error) {
	rcs, err := s.adm.DescribeTopicConfigs(ctx(), topic)
	if err != nil {
		return kadm.ResourceConfig{}, err
	}
	rc, err := rcs.On(topic, nil)
	if err != nil {
		return rc, err
	}
	if rc.Err != nil {
		return rc, fmt.Errorf("%w: %s", rc.Err, rc.ErrMessage)
	}
	return rc, nil
}

func set(name, value string) kadm.AlterConfig {
	return kadm.AlterConfig{Op: kadm.SetConfig, Name: name, Value: kadm.StringPtr(value)}
}

// alterResult is the topic's message and error from an alter call (or the call's error).
func alterResult(rs kadm.AlterConfigsResponses, err error, topic string) (string, error) {
	if err != nil {
		return "", err
	}
	r, err := rs.On(topic, nil)
	if err != nil {
		return "", err
	}
	return r.ErrMessage, r.Err
}

// --- producing and consuming ---------------------------------------------------------------

// produce sends records (kgo defaults: idempotent, acks=all) and returns each one's result.
func (s *scenario) produce(rs ...*kgo.Record) (kgo.ProduceResults, error) {
	cl, err := kgo.NewClient(append(append([]kgo.Opt(nil), s.base...), kgo.RecordPartitioner(kgo.ManualPartitioner()))...)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	res := cl.ProduceSync(ctx(), rs...)
	if id, epoch, err := cl.ProducerID(ctx()); err == nil {
		s.producerID, s.producerEpoch = id, epoch
	}
	return res, nil
}

// consume reads up to n records of one partition from offset `from`; fetch errors are
// returned too (the first one ends the read when stopOnError).
func (s *scenario) consume(topic string, partition int32, from int64, n int, opts ...kgo.Opt) ([]*kgo.Record, []error, error) {
	assign := map[string]map[int32]kgo.Offset{topic: {partition: kgo.NewOffset().At(from)}}
	cl, err := kgo.NewClient(append(append(append([]kgo.Opt(nil), s.base...), kgo.ConsumePartitions(assign)), opts...)...)
	if err != nil {
		return nil, nil, err
	}
	defer cl.Close()
	c, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var got []*kgo.Record
	var errs []error
	for len(got) < n && c.Err() == nil {
		fs := cl.PollFetches(c)
		for _, fe := range fs.Errors() {
			if !errors.Is(fe.Err, context.DeadlineExceeded) {
				errs = append(errs, fe.Err)
			}
		}
		got = append(got, fs.Records()...)
		if len(errs) > 0 {
			break
		}
	}
	return got, errs, nil
}

// --- 1 -------------------------------------------------------------------------------------

func (s *scenario) createTopics() error {
	configs := map[string]*string{"retention.ms": kadm.StringPtr("3600000"), "cleanup.policy": kadm.StringPtr("delete")}
	vr, err := s.adm.ValidateCreateTopics(ctx(), 3, -1, configs, s.cfg)
	m, merr := s.adm.Metadata(ctx(), s.cfg)
	exists := merr == nil && m.Topics[s.cfg].Err == nil
	add("ValidateCreateTopics: accepted, nothing created", err == nil && vr.Error() == nil && !exists,
		"%s / %s; Metadata afterwards: %v %v", errText(err), errText(vr.Error()), errText(merr), errText(m.Topics[s.cfg].Err))

	cr, err := s.adm.CreateTopic(ctx(), 3, -1, configs, s.cfg)
	echoed := cr.Configs["retention.ms"]
	add("CreateTopic cfg: 3 partitions, the response echoes retention.ms",
		err == nil && cr.NumPartitions == 3 && echoed.Value != nil && *echoed.Value == "3600000",
		"%s; partitions %d, topic id %s, retention.ms in the response %q", errText(err), cr.NumPartitions, cr.ID, echoed.MaybeValue())
	lr, err := s.adm.CreateTopic(ctx(), 1, -1, nil, s.log)
	add("CreateTopic log: 1 partition", err == nil && lr.NumPartitions == 1, "%s; partitions %d", errText(err), lr.NumPartitions)

	m, err = s.adm.Metadata(ctx(), s.cfg, s.log)
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	for topic, n := range map[string]int{s.cfg: 3, s.log: 1} {
		td := m.Topics[topic]
		leaders := map[int32]bool{}
		for _, p := range td.Partitions {
			leaders[p.Leader] = true
		}
		add(fmt.Sprintf("Metadata: %s has %d partitions with a leader", short(topic), n),
			td.Err == nil && len(td.Partitions) == n && !leaders[-1] && td.ID != (kadm.TopicID{}),
			"err %s, %d partitions, leaders %v, topic id %s", errText(td.Err), len(td.Partitions), leaders, td.ID)
	}
	all, err := s.adm.ListTopics(ctx())
	add("ListTopics (all topics) has cfg and log", err == nil && all.Has(s.cfg) && all.Has(s.log),
		"%s; %d topics listed", errText(err), len(all))

	_, err = s.adm.CreateTopic(ctx(), 3, -1, nil, s.cfg)
	expectErr("CreateTopic of an existing topic: TOPIC_ALREADY_EXISTS", err, "", kerr.TopicAlreadyExists, "")
	r, err := s.adm.CreateTopic(ctx(), 1, -1, map[string]*string{"no.such.config": kadm.StringPtr("1")}, s.cfg+"-x")
	expectErr("CreateTopic with an unknown config name: INVALID_CONFIG", err, r.ErrMessage, kerr.InvalidConfig, "no.such.config")
	r, err = s.adm.CreateTopic(ctx(), 1, -1, map[string]*string{"retention.ms": kadm.StringPtr("soon")}, s.cfg+"-x")
	expectErr("CreateTopic with a bad config value: INVALID_CONFIG", err, r.ErrMessage, kerr.InvalidConfig, "")
	return nil
}

// --- 2 -------------------------------------------------------------------------------------

func (s *scenario) describeConfigs() error {
	rc, err := s.topicConfigs(s.cfg)
	if err != nil {
		return err
	}
	r := findConfig(rc, "retention.ms")
	synOK := r != nil && len(r.Synonyms) == 2 &&
		r.Synonyms[0].Key == "retention.ms" && r.Synonyms[0].Source == kmsg.ConfigSourceDynamicTopicConfig &&
		r.Synonyms[1].Key == "log.retention.ms" && r.Synonyms[1].Source == kmsg.ConfigSourceDefaultConfig &&
		r.Synonyms[1].Value != nil && *r.Synonyms[1].Value == defaultRetentionMs
	add("DescribeTopicConfigs: retention.ms override is DYNAMIC_TOPIC_CONFIG, log.retention.ms default after it",
		hasConfig(r, "3600000", kmsg.ConfigSourceDynamicTopicConfig) && synOK, "%s", fmtConfig(r))
	m := findConfig(rc, "max.message.bytes")
	add("DescribeTopicConfigs: max.message.bytes is the default 1048588 (DEFAULT_CONFIG)",
		hasConfig(m, "1048588", kmsg.ConfigSourceDefaultConfig), "%s", fmtConfig(m))
	var missing []string
	for _, n := range []string{"cleanup.policy", "compression.type", "message.timestamp.type", "segment.bytes", "retention.bytes"} {
		if findConfig(rc, n) == nil {
			missing = append(missing, n)
		}
	}
	add("DescribeTopicConfigs: every topic config is listed", len(rc.Configs) >= 30 && len(missing) == 0,
		"%d configs; missing %v", len(rc.Configs), missing)

	// Documentation and types: kadm does not ask for them; kmsg does.
	req := kmsg.NewPtrDescribeConfigsRequest()
	req.IncludeDocumentation = true
	res := kmsg.NewDescribeConfigsRequestResource()
	res.ResourceType = kmsg.ConfigResourceTypeTopic
	res.ResourceName = s.cfg
	res.ConfigNames = []string{"retention.ms"}
	req.Resources = append(req.Resources, res)
	resp, err := req.RequestWith(ctx(), s.cl)
	if err != nil {
		return fmt.Errorf("DescribeConfigs with documentation: %w", err)
	}
	var doc string
	var typ kmsg.ConfigType
	n := 0
	for _, rr := range resp.Resources {
		for _, c := range rr.Configs {
			n++
			typ = c.ConfigType
			if c.Documentation != nil {
				doc = *c.Documentation
			}
		}
	}
	add("DescribeConfigs (kmsg, v"+strconv.Itoa(int(resp.Version))+") with documentation: retention.ms is a LONG, documented",
		n == 1 && typ == kmsg.ConfigTypeLong && doc != "", "%d configs, type %s, documentation %q", n, typ, doc)

	meta, err := s.adm.BrokerMetadata(ctx())
	if err != nil || len(meta.Brokers) == 0 {
		return fmt.Errorf("broker metadata: %v (%d brokers)", err, len(meta.Brokers))
	}
	id := meta.Brokers[0].NodeID
	brcs, err := s.adm.DescribeBrokerConfigs(ctx(), id)
	var brc kadm.ResourceConfig
	if err == nil {
		brc, err = brcs.On(strconv.Itoa(int(id)), nil)
	}
	b := findConfig(brc, "broker.id")
	add(fmt.Sprintf("DescribeBrokerConfigs %d: broker.id = %d, log.retention.ms listed", id, id),
		err == nil && brc.Err == nil && b != nil && b.MaybeValue() == strconv.Itoa(int(id)) && findConfig(brc, "log.retention.ms") != nil,
		"%s / %s; %d configs; broker.id %s", errText(err), errText(brc.Err), len(brc.Configs), fmtConfig(b))

	_, err = s.topicConfigs(s.cfg + "-missing")
	expectErr("DescribeTopicConfigs of a missing topic: UNKNOWN_TOPIC_OR_PARTITION", err, "", kerr.UnknownTopicOrPartition, "")
	return nil
}

// --- 3 -------------------------------------------------------------------------------------

func (s *scenario) incrementalAlter() error {
	alter := func(cs ...kadm.AlterConfig) (string, error) {
		rs, err := s.adm.AlterTopicConfigs(ctx(), cs, s.cfg)
		return alterResult(rs, err, s.cfg)
	}
	describe := func(names ...string) []*kadm.Config {
		rc, err := s.topicConfigs(s.cfg)
		out := make([]*kadm.Config, len(names))
		if err == nil {
			for i, n := range names {
				out[i] = findConfig(rc, n)
			}
		}
		return out
	}

	_, err := alter(set("retention.ms", "7200000"), kadm.AlterConfig{Op: kadm.AppendConfig, Name: "cleanup.policy", Value: kadm.StringPtr("compact")})
	c := describe("retention.ms", "cleanup.policy")
	add("incremental SET retention.ms=7200000 + APPEND cleanup.policy compact",
		err == nil && hasConfig(c[0], "7200000", kmsg.ConfigSourceDynamicTopicConfig) && hasConfig(c[1], "delete,compact", kmsg.ConfigSourceDynamicTopicConfig),
		"%s; retention.ms %s; cleanup.policy %s", errText(err), fmtConfig(c[0]), fmtConfig(c[1]))

	_, err = alter(kadm.AlterConfig{Op: kadm.SubtractConfig, Name: "cleanup.policy", Value: kadm.StringPtr("delete")})
	c = describe("cleanup.policy")
	add("incremental SUBTRACT cleanup.policy delete leaves compact",
		err == nil && hasConfig(c[0], "compact", kmsg.ConfigSourceDynamicTopicConfig), "%s; cleanup.policy %s", errText(err), fmtConfig(c[0]))

	_, err = alter(kadm.AlterConfig{Op: kadm.DeleteConfig, Name: "retention.ms"})
	c = describe("retention.ms")
	add("incremental DELETE retention.ms: back to the default (DEFAULT_CONFIG)",
		err == nil && hasConfig(c[0], defaultRetentionMs, kmsg.ConfigSourceDefaultConfig), "%s; retention.ms %s", errText(err), fmtConfig(c[0]))

	rs, err := s.adm.ValidateAlterTopicConfigs(ctx(), []kadm.AlterConfig{set("retention.ms", "1000")}, s.cfg)
	_, err = alterResult(rs, err, s.cfg)
	c = describe("retention.ms")
	add("ValidateAlterTopicConfigs SET: accepted, nothing changed",
		err == nil && hasConfig(c[0], defaultRetentionMs, kmsg.ConfigSourceDefaultConfig), "%s; retention.ms %s", errText(err), fmtConfig(c[0]))

	msg, err := alter(set("no.such.config", "1"))
	expectErr("incremental SET of an unknown config: INVALID_CONFIG naming it", err, msg, kerr.InvalidConfig, "no.such.config")
	msg, err = alter(set("retention.ms", "soon"))
	expectErr("incremental SET retention.ms=soon: INVALID_CONFIG", err, msg, kerr.InvalidConfig, "")
	msg, err = alter(kadm.AlterConfig{Op: kadm.AppendConfig, Name: "retention.ms", Value: kadm.StringPtr("5")})
	expectErr("incremental APPEND to a non-list config: INVALID_CONFIG", err, msg, kerr.InvalidConfig, "")
	return nil
}

// --- 4 -------------------------------------------------------------------------------------

func (s *scenario) legacyAlter() error {
	rs, err := s.adm.AlterTopicConfigsState(ctx(), []kadm.AlterConfig{set("retention.bytes", "1048576")}, s.cfg)
	_, err = alterResult(rs, err, s.cfg)
	rc, derr := s.topicConfigs(s.cfg)
	rb, p := findConfig(rc, "retention.bytes"), findConfig(rc, "cleanup.policy")
	add("AlterTopicConfigsState (AlterConfigs) replaces every override: retention.bytes set, cleanup.policy back to default",
		err == nil && derr == nil && hasConfig(rb, "1048576", kmsg.ConfigSourceDynamicTopicConfig) && hasConfig(p, "delete", kmsg.ConfigSourceDefaultConfig),
		"%s; retention.bytes %s; cleanup.policy %s", errText(err), fmtConfig(rb), fmtConfig(p))
	rs, err = s.adm.AlterTopicConfigsState(ctx(), []kadm.AlterConfig{set("no.such.config", "1")}, s.cfg)
	msg, err := alterResult(rs, err, s.cfg)
	expectErr("AlterTopicConfigsState with an unknown config: INVALID_CONFIG", err, msg, kerr.InvalidConfig, "no.such.config")
	return nil
}

// --- 5 -------------------------------------------------------------------------------------

func (s *scenario) partitionCount(topic string) (int, string) {
	m, err := s.adm.Metadata(ctx(), topic)
	if err != nil {
		return -1, err.Error()
	}
	td := m.Topics[topic]
	return len(td.Partitions), fmt.Sprintf("Metadata: %d partitions (err %s)", len(td.Partitions), errText(td.Err))
}

func (s *scenario) createPartitions() error {
	vr, err := s.adm.ValidateCreatePartitions(ctx(), 2, s.cfg)
	n, detail := s.partitionCount(s.cfg)
	add("ValidateCreatePartitions 3 -> 5: accepted, still 3", err == nil && vr.Error() == nil && n == 3,
		"%s / %s; %s", errText(err), errText(vr.Error()), detail)
	cr, err := s.adm.CreatePartitions(ctx(), 2, s.cfg)
	n, detail = s.partitionCount(s.cfg)
	add("CreatePartitions 3 -> 5: Metadata shows 5", err == nil && cr.Error() == nil && n == 5,
		"%s / %s; %s", errText(err), errText(cr.Error()), detail)

	value := []byte(fmt.Sprintf("on the new partition %d", nowMs()))
	res, err := s.produce(&kgo.Record{Topic: s.cfg, Partition: 4, Value: value})
	if err != nil {
		return err
	}
	r, perr := res.First()
	add("produce to new partition 4 right after CreatePartitions", perr == nil && r.Partition == 4 && r.Offset == 0,
		"%s; partition %d offset %d", errText(perr), r.Partition, r.Offset)
	got, errs, err := s.consume(s.cfg, 4, 0, 1)
	if err != nil {
		return err
	}
	add("read back partition 4", len(got) == 1 && got[0].Offset == 0 && bytes.Equal(got[0].Value, value),
		"read %d records %v, fetch errors %v", len(got), recordSummary(got), errs)

	ur, err := s.adm.UpdatePartitions(ctx(), 3, s.cfg)
	u, _ := ur.On(s.cfg, nil)
	if err == nil {
		err = u.Err
	}
	expectErr("UpdatePartitions 5 -> 3: INVALID_PARTITIONS", err, u.ErrMessage, kerr.InvalidPartitions, "")
	return nil
}

func recordSummary(rs []*kgo.Record) string {
	parts := make([]string, 0, len(rs))
	for i, r := range rs {
		if i == 3 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, fmt.Sprintf("%d:%q", r.Offset, r.Value))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// --- 6 -------------------------------------------------------------------------------------

func (s *scenario) listed(name string, lo kadm.ListedOffsets, err error, offset, timestamp int64) {
	o, found := lo.Lookup(s.log, 0)
	if err == nil {
		err = o.Err
	}
	ok := err == nil && found && o.Offset == offset && (timestamp == 0 || o.Timestamp == timestamp)
	add(name, ok, "%s; offset %d timestamp %d leader epoch %d", errText(err), o.Offset, o.Timestamp, o.LeaderEpoch)
}

func (s *scenario) listOffsets() error {
	rs := make([]*kgo.Record, records)
	for i := range rs {
		rs[i] = &kgo.Record{Topic: s.log, Partition: 0, Value: []byte(fmt.Sprintf("r%d", i)), Timestamp: time.UnixMilli(s.ts(i))}
	}
	res, err := s.produce(rs...)
	if err != nil {
		return err
	}
	inOrder := res.FirstErr() == nil
	for i, r := range res {
		inOrder = inOrder && r.Record.Offset == int64(i)
	}
	add(fmt.Sprintf("produce %d records with CreateTime t0 + %d i to log/0", records, stepMs), inOrder,
		"%d results, first error %s, producer id %d epoch %d", len(res), errText(res.FirstErr()), s.producerID, s.producerEpoch)

	lo, err := s.adm.ListStartOffsets(ctx(), s.log)
	s.listed("ListStartOffsets = 0", lo, err, 0, 0)
	lo, err = s.adm.ListEndOffsets(ctx(), s.log)
	s.listed(fmt.Sprintf("ListEndOffsets = %d", records), lo, err, records, 0)
	lo, err = s.adm.ListOffsetsAfterMilli(ctx(), s.ts(41)+5, s.log)
	s.listed("ListOffsetsAfterMilli ts(41) + 5: 42 at ts(42)", lo, err, 42, s.ts(42))
	lo, err = s.adm.ListOffsetsAfterMilli(ctx(), s.ts(42), s.log)
	s.listed("ListOffsetsAfterMilli ts(42): 42", lo, err, 42, s.ts(42))
	lo, err = s.adm.ListOffsetsAfterMilli(ctx(), s.ts(records)+1, s.log)
	s.listed(fmt.Sprintf("ListOffsetsAfterMilli after the last record: the end offset %d", records), lo, err, records, 0)
	lo, err = s.adm.ListMaxTimestampOffsets(ctx(), s.log)
	s.listed(fmt.Sprintf("ListMaxTimestampOffsets: offset %d at ts(%d)", records-1, records-1), lo, err, records-1, s.ts(records-1))

	m, err := s.adm.Metadata(ctx(), s.log)
	if err != nil {
		return err
	}
	epoch := m.Topics[s.log].Partitions[0].LeaderEpoch
	var req kadm.OffsetForLeaderEpochRequest
	req.Add(s.log, 0, epoch)
	le, err := s.adm.OffsetForLeaderEpoch(ctx(), req)
	e := le[s.log][0]
	if err == nil {
		err = e.Err
	}
	add(fmt.Sprintf("OffsetForLeaderEpoch at the current epoch %d: end offset %d", epoch, records),
		err == nil && e.LeaderEpoch == epoch && e.EndOffset == records,
		"%s; leader epoch %d end offset %d", errText(err), e.LeaderEpoch, e.EndOffset)

	dp, err := s.adm.DescribeProducers(ctx(), kadm.TopicsSet{s.log: {0: {}}})
	p := dp[s.log].Partitions[0]
	if err == nil {
		err = p.Err
	}
	prod, found := p.ActiveProducers[s.producerID]
	add(fmt.Sprintf("DescribeProducers: the idempotent producer, last sequence %d", records-1),
		err == nil && found && prod.ProducerEpoch == s.producerEpoch && prod.LastSequence == records-1,
		"%s; %d active producers; producer %d: epoch %d last sequence %d last timestamp %d",
		errText(err), len(p.ActiveProducers), s.producerID, prod.ProducerEpoch, prod.LastSequence, prod.LastTimestamp)
	return nil
}

// --- 7 -------------------------------------------------------------------------------------

func (s *scenario) deleteRecords() error {
	del := kadm.Offsets{}
	del.Add(kadm.Offset{Topic: s.log, Partition: 0, At: deleteTo})
	dr, err := s.adm.DeleteRecords(ctx(), del)
	d, _ := dr.On(s.log, 0, nil)
	if err == nil {
		err = d.Err
	}
	add(fmt.Sprintf("DeleteRecords log/0 before %d: low watermark %d", deleteTo, deleteTo), err == nil && d.LowWatermark == deleteTo,
		"%s; low watermark %d", errText(err), d.LowWatermark)

	lo, err := s.adm.ListStartOffsets(ctx(), s.log)
	s.listed(fmt.Sprintf("after DeleteRecords: ListStartOffsets = %d", deleteTo), lo, err, deleteTo, 0)
	lo, err = s.adm.ListEndOffsets(ctx(), s.log)
	s.listed(fmt.Sprintf("after DeleteRecords: ListEndOffsets = %d", records), lo, err, records, 0)
	lo, err = s.adm.ListOffsetsAfterMilli(ctx(), s.ts(0), s.log)
	s.listed(fmt.Sprintf("after DeleteRecords: a time below the log start answers %d at ts(%d)", deleteTo, deleteTo), lo, err, deleteTo, s.ts(deleteTo))

	got, errs, err := s.consume(s.log, 0, 0, records-deleteTo)
	if err != nil {
		return err
	}
	ok := len(got) == records-deleteTo && len(errs) == 0
	for i, r := range got {
		ok = ok && r.Offset == int64(deleteTo+i) && string(r.Value) == fmt.Sprintf("r%d", deleteTo+i)
	}
	add(fmt.Sprintf("consume from 0 (default reset: start) reads %d..%d", deleteTo, records-1), ok,
		"%d records %s, fetch errors %v", len(got), recordSummary(got), errs)

	got, errs, err = s.consume(s.log, 0, 0, 1, kgo.ConsumeResetOffset(kgo.NoResetOffset()))
	if err != nil {
		return err
	}
	add("consume from 0 without a reset offset: OFFSET_OUT_OF_RANGE",
		len(got) == 0 && len(errs) > 0 && errors.Is(errs[0], kerr.OffsetOutOfRange),
		"%d records, fetch errors %v", len(got), errs)

	del = kadm.Offsets{}
	del.Add(kadm.Offset{Topic: s.log, Partition: 0, At: records + 10})
	dr, err = s.adm.DeleteRecords(ctx(), del)
	d, _ = dr.On(s.log, 0, nil)
	if err == nil {
		err = d.Err
	}
	expectErr("DeleteRecords past the high watermark: OFFSET_OUT_OF_RANGE", err, "", kerr.OffsetOutOfRange, "")
	return nil
}

// --- 8 -------------------------------------------------------------------------------------

func (s *scenario) describeCluster() error {
	resp, err := kmsg.NewPtrDescribeClusterRequest().RequestWith(ctx(), s.cl)
	if err != nil {
		return fmt.Errorf("DescribeCluster: %w", err)
	}
	m, err := s.adm.BrokerMetadata(ctx())
	if err != nil {
		return err
	}
	var nodes, listed []string
	controller := false
	for _, b := range resp.Brokers {
		nodes = append(nodes, fmt.Sprintf("%d@%s:%d", b.NodeID, b.Host, b.Port))
		controller = controller || b.NodeID == resp.ControllerID
	}
	for _, b := range m.Brokers {
		listed = append(listed, fmt.Sprintf("%d@%s:%d", b.NodeID, b.Host, b.Port))
	}
	sort.Strings(nodes)
	sort.Strings(listed)
	add(fmt.Sprintf("DescribeCluster v%d: Metadata's cluster id and brokers, the controller among them", resp.Version),
		resp.ErrorCode == 0 && resp.ClusterID != "" && resp.ClusterID == m.Cluster &&
			strings.Join(nodes, ",") == strings.Join(listed, ",") && controller,
		"error code %d; cluster id %q (Metadata %q); brokers %v (Metadata %v); controller %d",
		resp.ErrorCode, resp.ClusterID, m.Cluster, nodes, listed, resp.ControllerID)
	return nil
}

// --- 9 -------------------------------------------------------------------------------------

func (s *scenario) electLeaders() error {
	set := kadm.TopicsSet{s.cfg: {0: {}, 4: {}}, s.log: {0: {}}}
	for _, how := range []struct {
		name string
		how  kadm.ElectLeadersHow
	}{{"preferred", kadm.ElectPreferredReplica}, {"unclean", kadm.ElectLiveReplica}} {
		res, err := s.adm.ElectLeaders(ctx(), how.how, set)
		var got []string
		ok := err == nil
		n := 0
		for t, ps := range res {
			for p, r := range ps {
				n++
				ok = ok && errors.Is(r.Err, kerr.ElectionNotNeeded)
				got = append(got, fmt.Sprintf("%s/%d: %s", short(t), p, errText(r.Err)))
			}
		}
		sort.Strings(got)
		add("ElectLeaders "+how.name+": ELECTION_NOT_NEEDED for every partition", ok && n == 3, "%s; %v", errText(err), got)
	}
	res, err := s.adm.ElectLeaders(ctx(), kadm.ElectPreferredReplica, kadm.TopicsSet{s.cfg: {99: {}}})
	r := res[s.cfg][99]
	if err == nil {
		err = r.Err
	}
	expectErr("ElectLeaders for a missing partition: UNKNOWN_TOPIC_OR_PARTITION", err, r.ErrMessage, kerr.UnknownTopicOrPartition, "")
	return nil
}

// --- 10 ------------------------------------------------------------------------------------

func (s *scenario) deleteTopics() error {
	dr, err := s.adm.DeleteTopics(ctx(), s.cfg, s.log)
	if err == nil {
		err = dr.Error()
	}
	m, merr := s.adm.Metadata(ctx(), s.cfg, s.log)
	gone := merr == nil && errors.Is(m.Topics[s.cfg].Err, kerr.UnknownTopicOrPartition) && errors.Is(m.Topics[s.log].Err, kerr.UnknownTopicOrPartition)
	add("DeleteTopics cfg and log: Metadata answers UNKNOWN_TOPIC_OR_PARTITION for both", err == nil && gone,
		"%s; Metadata afterwards %s: cfg %s, log %s", errText(err), errText(merr), errText(m.Topics[s.cfg].Err), errText(m.Topics[s.log].Err))
	_, err = s.topicConfigs(s.cfg)
	expectErr("DescribeTopicConfigs of the deleted topic: UNKNOWN_TOPIC_OR_PARTITION", err, "", kerr.UnknownTopicOrPartition, "")
	r, err := s.adm.DeleteTopic(ctx(), s.cfg)
	expectErr("DeleteTopic again: UNKNOWN_TOPIC_OR_PARTITION", err, r.ErrMessage, kerr.UnknownTopicOrPartition, "")
	return nil
}

// --- 11 ------------------------------------------------------------------------------------

func (s *scenario) produceOne(topic string, value []byte, ts time.Time) (*kgo.Record, error) {
	res, err := s.produce(&kgo.Record{Topic: topic, Partition: 0, Value: value, Timestamp: ts})
	if err != nil {
		return nil, err
	}
	return res.First()
}

func (s *scenario) maxMessageBytes() error {
	_, err := s.adm.CreateTopic(ctx(), 1, -1, map[string]*string{"max.message.bytes": kadm.StringPtr(strconv.Itoa(maxMessageBytes))}, s.big)
	rc, derr := s.topicConfigs(s.big)
	m := findConfig(rc, "max.message.bytes")
	add(fmt.Sprintf("create a topic with max.message.bytes=%d", maxMessageBytes),
		err == nil && derr == nil && hasConfig(m, strconv.Itoa(maxMessageBytes), kmsg.ConfigSourceDynamicTopicConfig),
		"%s / %s; max.message.bytes %s", errText(err), errText(derr), fmtConfig(m))

	r, err := s.produceOne(s.big, incompressible(20_000), time.Time{})
	add("max.message.bytes: a 20,000-byte record is refused with MESSAGE_TOO_LARGE", errors.Is(err, kerr.MessageTooLarge),
		"%s; offset %d", errText(err), offsetOf(r))
	r, err = s.produceOne(s.big, incompressible(5_000), time.Time{})
	add("max.message.bytes: a 5,000-byte record is accepted", err == nil, "%s; offset %d", errText(err), offsetOf(r))

	rs, aerr := s.adm.AlterTopicConfigs(ctx(), []kadm.AlterConfig{set("max.message.bytes", "30000")}, s.big)
	_, aerr = alterResult(rs, aerr, s.big)
	// Kafka applies a config change once the broker has the metadata: allow it 5 s.
	var attempts []string
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, err = s.produceOne(s.big, incompressible(20_000), time.Time{})
		attempts = append(attempts, errText(err))
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	add("max.message.bytes raised to 30000 (AlterTopicConfigs SET): the 20,000-byte record is accepted",
		aerr == nil && err == nil, "alter %s; %d attempts, last %s; offset %d", errText(aerr), len(attempts), attempts[len(attempts)-1], offsetOf(r))
	return nil
}

// incompressible is n random bytes: kgo compresses batches by default, and Kafka checks
// max.message.bytes against the batch as sent.
func incompressible(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func offsetOf(r *kgo.Record) int64 {
	if r == nil {
		return -1
	}
	return r.Offset
}

// --- 12 ------------------------------------------------------------------------------------

func (s *scenario) logAppendTime() error {
	_, err := s.adm.CreateTopic(ctx(), 1, -1, map[string]*string{"message.timestamp.type": kadm.StringPtr("LogAppendTime")}, s.lat)
	add("create a topic with message.timestamp.type=LogAppendTime", err == nil, "%s", errText(err))
	createTime := time.UnixMilli(nowMs() - hourMs)
	before := nowMs()
	_, err = s.produceOne(s.lat, []byte("appended"), createTime)
	after := nowMs()
	if err != nil {
		return fmt.Errorf("produce: %w", err)
	}
	got, errs, err := s.consume(s.lat, 0, 0, 1)
	if err != nil {
		return err
	}
	var kind int8 = -2
	var ts int64
	if len(got) == 1 {
		kind, ts = got[0].Attrs.TimestampType(), got[0].Timestamp.UnixMilli()
	}
	add("LogAppendTime: the consumed record has the broker's append time (timestamp type 1)",
		len(got) == 1 && string(got[0].Value) == "appended" && kind == 1 && ts >= before && ts <= after,
		"read %d (fetch errors %v): timestamp type %d, timestamp %d; sent with CreateTime %d; produced between %d and %d",
		len(got), errs, kind, ts, createTime.UnixMilli(), before, after)
	return nil
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := map[string]string{}
		for _, d := range bi.Deps {
			v[d.Path] = d.Version
		}
		return fmt.Sprintf("franz-go %s, kadm %s, %s", v["github.com/twmb/franz-go"], v["github.com/twmb/franz-go/pkg/kadm"], bi.GoVersion)
	}
	return "franz-go (unknown)"
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compat-franz-go-admin BOOTSTRAP")
		os.Exit(2)
	}
	start := time.Now()
	s, err := newScenario(os.Args[1])
	timings := map[string]int64{}
	if err != nil {
		add("client created", false, "%v", err)
	} else {
		s.run("createTopics", s.createTopics)
		s.run("describeConfigs", s.describeConfigs)
		s.run("incrementalAlterConfigs", s.incrementalAlter)
		s.run("alterConfigs", s.legacyAlter)
		s.run("createPartitions", s.createPartitions)
		s.run("listOffsets", s.listOffsets)
		s.run("deleteRecords", s.deleteRecords)
		s.run("describeCluster", s.describeCluster)
		s.run("electLeaders", s.electLeaders)
		s.run("deleteTopics", s.deleteTopics)
		s.run("maxMessageBytes", s.maxMessageBytes)
		s.run("logAppendTime", s.logAppendTime)
		s.cl.Close()
		timings = s.timings
	}
	timings["total"] = time.Since(start).Milliseconds()
	out, err := json.Marshal(map[string]any{"client": "franz-go", "version": version(), "checks": checks, "timingsMs": timings})
	if err != nil {
		fmt.Fprintln(os.Stderr, "json:", err)
		os.Exit(2)
	}
	fmt.Println(string(out))
}
