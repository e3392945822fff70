// Command compat-franz-go-groups runs the consumer-group compatibility scenario with franz-go
// (kgo + kadm) against a broker:
//
//  1. kadm creates compat-franz-go-groups (12 partitions); RECORDS records (value = decimal
//     index, partition = index % 12) are produced with acks=all and idempotence off.
//  2. Group compat-franz-go-g1 with kgo's default balancer (cooperative-sticky): 3 members
//     (own clients, one goroutine each; auto commit off, earliest, session timeout 10 s,
//     BlockRebalanceOnPoll) poll 50 records at a time, commit them synchronously
//     (CommitUncommittedOffsets) before allowing a rebalance, and commit again in
//     OnPartitionsRevoked. A 4th member joins, one leaves (Close); the 12 partitions must be
//     owned exactly once after each change and every record is processed exactly once.
//  3. After 1,200 more records a new member in the group reads exactly those.
//  4. kadm: ListGroups, DescribeGroups, FetchOffsets, DeleteGroups while a member is active
//     (NON_EMPTY_GROUP), CommitOffsets and DeleteOffsets (OffsetDelete) on the empty group,
//     DeleteGroups.
//
// The last stdout line is {"client","version","checks":[{name,ok,detail}],"timingsMs"}.
//
// Usage: compat-franz-go-groups BOOTSTRAP [RECORDS]   (KAFSCALE_COMPAT_DEBUG=1 logs at debug
// level; KAFSCALE_COMPAT_GROUP_PACE_MS, default 150, is each member's pause after a poll)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

const (
	partitions       = 12
	chunk            = 50
	extra            = 1200
	stableFor        = 2 * time.Second
	rebalanceTimeout = 60 * time.Second
	closeTimeout     = 30 * time.Second
	opTimeout        = 30 * time.Second
	topic            = "compat-franz-go-groups"
	group            = "compat-franz-go-g1"
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

type rec struct {
	member    string
	partition int32
	offset    int64
	value     int
}

// tracker holds every record any member processed and every commit or poll error.
type tracker struct {
	mu         sync.Mutex
	recs       []rec
	commitErrs []string
	errs       []string
}

func (t *tracker) commitErr(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.commitErrs = append(t.commitErrs, fmt.Sprintf(format, args...))
}

func (t *tracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recs)
}

func (t *tracker) distinct() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	seen := map[int]bool{}
	for _, r := range t.recs {
		seen[r.value] = true
	}
	return len(seen)
}

func (t *tracker) snapshot() []rec {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]rec(nil), t.recs...)
}

// member is one group member: its own client, polled by one goroutine.
type member struct {
	name        string
	cl          *kgo.Client
	tr          *tracker
	mu          sync.Mutex
	assigned    map[int32]bool
	assigns     int
	revokes     int
	lost        int
	cancel      context.CancelFunc
	done        chan struct{}
	closeOK     bool
	closeDetail string
}

func newMember(name string, base []kgo.Opt, tr *tracker, pace time.Duration) (*member, error) {
	m := &member{name: name, tr: tr, assigned: map[int32]bool{}, done: make(chan struct{}), closeDetail: "not closed"}
	opts := append(append([]kgo.Opt(nil), base...),
		kgo.ClientID("compat-franz-go-"+name),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(topic),
		kgo.DisableAutoCommit(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.SessionTimeout(10*time.Second),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, a map[string][]int32) {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.assigns++
			for _, p := range a[topic] {
				m.assigned[p] = true
			}
		}),
		kgo.OnPartitionsRevoked(func(ctx context.Context, cl *kgo.Client, r map[string][]int32) {
			cctx, cancel := context.WithTimeout(ctx, opTimeout)
			defer cancel()
			if err := cl.CommitUncommittedOffsets(cctx); err != nil {
				tr.commitErr("%s OnPartitionsRevoked %v: %v", name, r[topic], err)
			}
			m.mu.Lock()
			defer m.mu.Unlock()
			if len(r[topic]) > 0 {
				m.revokes++
			}
			for _, p := range r[topic] {
				delete(m.assigned, p)
			}
		}),
		kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, l map[string][]int32) {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.lost += len(l[topic])
			for _, p := range l[topic] {
				delete(m.assigned, p)
			}
		}),
	)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	m.cl = cl
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go m.run(ctx, pace)
	return m, nil
}

func (m *member) run(ctx context.Context, pace time.Duration) {
	defer close(m.done)
	for ctx.Err() == nil {
		fs := m.cl.PollRecords(ctx, chunk)
		if fs.IsClientClosed() {
			m.cl.AllowRebalance()
			return
		}
		fs.EachError(func(t string, p int32, err error) {
			if !errors.Is(err, context.Canceled) {
				m.tr.mu.Lock()
				m.tr.errs = append(m.tr.errs, fmt.Sprintf("%s %s/%d: %v", m.name, t, p, err))
				m.tr.mu.Unlock()
			}
		})
		recs := fs.Records()
		for _, r := range recs {
			v, err := strconv.Atoi(string(r.Value))
			if err != nil {
				v = -1
			}
			m.tr.mu.Lock()
			m.tr.recs = append(m.tr.recs, rec{m.name, r.Partition, r.Offset, v})
			m.tr.mu.Unlock()
		}
		if len(recs) > 0 {
			cctx, cancel := context.WithTimeout(context.Background(), opTimeout)
			if err := m.cl.CommitUncommittedOffsets(cctx); err != nil {
				m.tr.commitErr("%s after a poll: %v", m.name, err)
			}
			cancel()
		}
		m.cl.AllowRebalance()
		if len(recs) > 0 {
			time.Sleep(pace)
		}
	}
}

func (m *member) owned() []int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]int32, 0, len(m.assigned))
	for p := range m.assigned {
		out = append(out, p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// stop ends the poll loop and closes the client (which leaves the group), both bounded.
func (m *member) stop() bool {
	m.cancel()
	select {
	case <-m.done:
	case <-time.After(closeTimeout):
		m.closeOK, m.closeDetail = false, fmt.Sprintf("poll loop did not end within %v", closeTimeout)
		return false
	}
	t := time.Now()
	closed := make(chan struct{})
	go func() {
		m.cl.Close()
		close(closed)
	}()
	select {
	case <-closed:
		m.closeOK, m.closeDetail = true, fmt.Sprintf("closed in %d ms", time.Since(t).Milliseconds())
	case <-time.After(closeTimeout):
		m.closeOK, m.closeDetail = false, fmt.Sprintf("Close did not return within %v", closeTimeout)
	}
	m.mu.Lock()
	m.assigned = map[int32]bool{}
	m.mu.Unlock()
	return m.closeOK
}

// ownership: the members' assignments, and whether they own 0..11 exactly once, each some.
func ownership(members []*member) (string, bool) {
	var parts []string
	count := map[int32]int{}
	ok := true
	for _, m := range members {
		o := m.owned()
		if len(o) == 0 {
			ok = false
		}
		for _, p := range o {
			count[p]++
		}
		parts = append(parts, fmt.Sprintf("%s=%v", m.name, o))
	}
	for p := int32(0); p < partitions; p++ {
		if count[p] != 1 {
			ok = false
		}
	}
	return strings.Join(parts, " "), ok && len(count) == partitions
}

func waitStable(members []*member, tr *tracker) (bool, string) {
	start := time.Now()
	var since time.Time
	last := ""
	for time.Since(start) < rebalanceTimeout {
		snap, ok := ownership(members)
		now := time.Now()
		switch {
		case ok && snap == last && !since.IsZero():
			if now.Sub(since) >= stableFor {
				return true, fmt.Sprintf("%d members %s; stable after %.1f s; %d records processed so far",
					len(members), snap, (now.Sub(start) - stableFor).Seconds(), tr.count())
			}
		case ok:
			since = now
		default:
			since = time.Time{}
		}
		last = snap
		time.Sleep(100 * time.Millisecond)
	}
	snap, _ := ownership(members)
	return false, fmt.Sprintf("not %d owners of %d partitions within %v; last %s", len(members), partitions, rebalanceTimeout, snap)
}

func waitUntil(cond func() bool, timeout time.Duration) bool {
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cond()
}

// produce sends values start..start+count-1 to partition i % 12 and updates ends.
func produce(base []kgo.Opt, start, count int, ends map[int32]int64) []string {
	var mu sync.Mutex
	var errs []string
	cl, err := kgo.NewClient(append(append([]kgo.Opt(nil), base...),
		kgo.DisableIdempotentWrite(),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerLinger(5*time.Millisecond),
	)...)
	if err != nil {
		return []string{err.Error()}
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for i := start; i < start+count; i++ {
		wg.Add(1)
		r := &kgo.Record{Topic: topic, Partition: int32(i % partitions), Value: []byte(strconv.Itoa(i))}
		cl.Produce(ctx, r, func(r *kgo.Record, err error) {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if len(errs) < 5 {
					errs = append(errs, err.Error())
				}
				return
			}
			if r.Offset+1 > ends[r.Partition] {
				ends[r.Partition] = r.Offset + 1
			}
		})
	}
	wg.Wait() // the context bounds every produce
	return errs
}

func recordChecks(recs []rec, lo, hi int, what string) {
	values := map[int]int{}
	positions := map[[2]int64]int{}
	perMember := map[string]int{}
	misplaced := 0
	for _, r := range recs {
		values[r.value]++
		positions[[2]int64{int64(r.partition), r.offset}]++
		perMember[r.member]++
		if r.value%partitions != int(r.partition) {
			misplaced++
		}
	}
	var twice, missing, outside []int
	twicePos := 0
	for v, c := range values {
		if c > 1 {
			twice = append(twice, v)
		}
		if v < lo || v >= hi {
			outside = append(outside, v)
		}
	}
	for _, c := range positions {
		if c > 1 {
			twicePos++
		}
	}
	for v := lo; v < hi; v++ {
		if values[v] == 0 {
			missing = append(missing, v)
		}
	}
	sort.Ints(twice)
	sort.Ints(outside)
	add(what+": no record processed twice", len(twice) == 0 && twicePos == 0,
		"%d processed, %d distinct; %d values twice (first %v), %d partition offsets twice; per member %v",
		len(recs), len(values), len(twice), first(twice), twicePos, perMember)
	add(what+": no record skipped", len(missing) == 0 && len(outside) == 0 && misplaced == 0,
		"expected %d (values %d..%d); missing %d (first %v); outside the range %d (first %v); on a wrong partition %d",
		hi-lo, lo, hi-1, len(missing), first(missing), len(outside), first(outside), misplaced)
}

func first(v []int) []int {
	if len(v) > 10 {
		return v[:10]
	}
	return v
}

func groupOffsets(adm *kadm.Client) (map[int32]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	r, err := adm.FetchOffsets(ctx, group)
	if err != nil {
		return nil, err
	}
	out := map[int32]int64{}
	for p, o := range r[topic] {
		if o.Err != nil {
			return out, fmt.Errorf("partition %d: %w", p, o.Err)
		}
		if o.At >= 0 {
			out[p] = o.At
		}
	}
	return out, nil
}

// listCount counts the group in the raw ListGroups answers of every broker (kadm merges
// them into a map, which would hide a duplicate).
func listCount(admCl *kgo.Client) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	n, total := 0, 0
	var states, errs []string
	for _, s := range admCl.RequestSharded(ctx, kmsg.NewPtrListGroupsRequest()) {
		if s.Err != nil {
			errs = append(errs, s.Err.Error())
			continue
		}
		resp := s.Resp.(*kmsg.ListGroupsResponse)
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			errs = append(errs, err.Error())
		}
		for _, g := range resp.Groups {
			total++
			if g.Group == group {
				n++
				states = append(states, g.GroupState)
			}
		}
	}
	return n, fmt.Sprintf("%d groups listed, %d named %s (states %v), errors %v", total, n, group, states, errs)
}

func sameOffsets(a, b map[int32]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for p, o := range a {
		if b[p] != o {
			return false
		}
	}
	return true
}

func sortedAssignments(d kadm.DescribedGroup) [][]int32 {
	var out [][]int32
	for _, m := range d.Members {
		var ps []int32
		if c, ok := m.Assigned.AsConsumer(); ok {
			for _, t := range c.Topics {
				if t.Topic == topic {
					ps = append(ps, t.Partitions...)
				}
			}
		}
		sort.Slice(ps, func(a, b int) bool { return ps[a] < ps[b] })
		out = append(out, ps)
	}
	sortLists(out)
	return out
}

func sortLists(l [][]int32) {
	sort.Slice(l, func(a, b int) bool { return fmt.Sprint(l[a]) < fmt.Sprint(l[b]) })
}

func scenario(bootstrap string, n int, timings map[string]int64) error {
	pace := 150 * time.Millisecond
	if v := os.Getenv("KAFSCALE_COMPAT_GROUP_PACE_MS"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil {
			return err
		}
		pace = time.Duration(ms) * time.Millisecond
	}
	base := []kgo.Opt{kgo.SeedBrokers(bootstrap), kgo.ClientID("compat-franz-go")}
	if os.Getenv("KAFSCALE_COMPAT_DEBUG") != "" {
		base = append(base, kgo.WithLogger(kgo.BasicLogger(os.Stderr, kgo.LogLevelDebug, nil)))
	}
	admCl, err := kgo.NewClient(base...)
	if err != nil {
		return err
	}
	defer admCl.Close()
	adm := kadm.NewClient(admCl)
	ctx := func() context.Context {
		c, cancel := context.WithTimeout(context.Background(), opTimeout)
		time.AfterFunc(opTimeout, cancel)
		return c
	}

	// 1. topic + records
	t := time.Now()
	how := "created"
	created, err := adm.CreateTopics(ctx(), partitions, -1, nil, topic)
	if err != nil {
		return fmt.Errorf("CreateTopics: %w", err)
	}
	if err := created[topic].Err; err != nil {
		if !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("CreateTopics: %w", err)
		}
		how = "already existed"
	}
	td, err := adm.ListTopics(ctx(), topic)
	got := 0
	if err == nil {
		got = len(td[topic].Partitions)
	}
	add("create topic with 12 partitions", got == partitions, "%s; metadata shows %d partitions (err %v)", how, got, err)
	timings["createTopic"] = time.Since(t).Milliseconds()

	t = time.Now()
	ends := map[int32]int64{}
	errs := produce(base, 0, n, ends)
	acked := int64(0)
	for _, e := range ends {
		acked += e
	}
	add(fmt.Sprintf("produce %d records", n), len(errs) == 0 && acked == int64(n), "%d acknowledged; errors %v", acked, errs)
	timings["produce"] = time.Since(t).Milliseconds()

	// 2. three members, a fourth joins, one leaves
	tr := &tracker{}
	t = time.Now()
	var members []*member
	for _, name := range []string{"m1", "m2", "m3"} {
		m, err := newMember(name, base, tr, pace)
		if err != nil {
			return err
		}
		members = append(members, m)
	}
	ok, detail := waitStable(members, tr)
	add("3 members own the 12 partitions exactly once", ok, "%s", detail)
	timings["threeStable"] = time.Since(t).Milliseconds()

	dg, err := adm.DescribeGroups(ctx(), group)
	if err == nil {
		err = dg.Error()
	}
	if err != nil {
		add("describe with 3 members: the assignments the members got", false, "error %v", err)
	} else {
		d := dg[group]
		described := sortedAssignments(d)
		var tracked [][]int32
		for _, m := range members {
			tracked = append(tracked, m.owned())
		}
		sortLists(tracked)
		add("describe with 3 members: the assignments the members got",
			d.State == "Stable" && fmt.Sprint(described) == fmt.Sprint(tracked),
			"state %s, protocol %s/%s, %d members, described %v, from callbacks %v",
			d.State, d.ProtocolType, d.Protocol, len(d.Members), described, tracked)
	}

	t = time.Now()
	m4, err := newMember("m4", base, tr, pace)
	if err != nil {
		return err
	}
	members = append(members, m4)
	ok, detail = waitStable(members, tr)
	add("a 4th member joins: 4 members own the 12 partitions exactly once", ok, "%s", detail)
	timings["fourStable"] = time.Since(t).Milliseconds()

	t = time.Now()
	leaver := members[1]
	members = append(members[:1:1], members[2:]...)
	closed := leaver.stop()
	add("one member leaves (close)", closed, "%s: %s; assigned %dx, revoked %dx", leaver.name, leaver.closeDetail, leaver.assigns, leaver.revokes)
	ok, detail = waitStable(members, tr)
	add("after the leave: 3 members own the 12 partitions exactly once", ok, "%s", detail)
	timings["leaveStable"] = time.Since(t).Milliseconds()

	t = time.Now()
	allIn := waitUntil(func() bool { return tr.distinct() >= n }, 120*time.Second)
	time.Sleep(time.Second) // anything processed again would show up now
	add(fmt.Sprintf("all %d records consumed", n), allIn, "%d distinct of %d after %.1f s more", tr.distinct(), n, time.Since(t).Seconds())
	var closes []string
	allClosed := true
	for _, m := range members {
		c := m.stop()
		allClosed = allClosed && c
		closes = append(closes, fmt.Sprintf("%s: %v %s (assigned %dx, revoked %dx)", m.name, c, m.closeDetail, m.assigns, m.revokes))
	}
	add("close all members cleanly", allClosed, "%v", closes)
	timings["consumeAndClose"] = time.Since(t).Milliseconds()
	recordChecks(tr.snapshot(), 0, n, "group of 3-4")
	lost := leaver.lost
	for _, m := range members {
		lost += m.lost
	}
	tr.mu.Lock()
	add("commits and consumption without errors", len(tr.commitErrs) == 0 && len(tr.errs) == 0 && lost == 0,
		"commit errors %d %v; poll errors %v; partitions lost %d", len(tr.commitErrs), tr.commitErrs, tr.errs, lost)
	tr.mu.Unlock()

	// 3. restart: only the new records
	t = time.Now()
	errs = produce(base, n, extra, ends)
	total := int64(0)
	for _, e := range ends {
		total += e
	}
	add(fmt.Sprintf("produce %d more records", extra), len(errs) == 0 && total == int64(n+extra), "errors %v", errs)
	restart := &tracker{}
	m5, err := newMember("m5", base, restart, pace/5)
	if err != nil {
		return err
	}
	gotAll := waitUntil(func() bool { return restart.count() >= extra }, 60*time.Second)
	time.Sleep(2 * time.Second)
	add(fmt.Sprintf("a new member reads the %d new records (committed offsets kept)", extra),
		gotAll && restart.count() == extra, "%d records after %.1f s", restart.count(), time.Since(t).Seconds())
	recordChecks(restart.snapshot(), n, n+extra, "restart")
	timings["restart"] = time.Since(t).Milliseconds()

	// 4. admin, one member still active
	t = time.Now()
	if lg, err := adm.ListGroups(ctx()); err != nil {
		add("kadm ListGroups shows the group", false, "error %v", err)
	} else {
		g, found := lg[group]
		add("kadm ListGroups shows the group", found && g.ProtocolType == "consumer", "%+v", g)
	}
	count, detail := listCount(admCl)
	add("list groups contains the group once", count == 1, "%s", detail)
	dg, err = adm.DescribeGroups(ctx(), group)
	if err == nil {
		err = dg.Error()
	}
	if err != nil {
		add("describe group: 1 member owning the 12 partitions, Stable", false, "error %v", err)
	} else {
		d := dg[group]
		as := sortedAssignments(d)
		var who []string
		for _, m := range d.Members {
			who = append(who, m.ClientID+"@"+m.ClientHost)
		}
		add("describe group: 1 member owning the 12 partitions, Stable",
			len(d.Members) == 1 && d.State == "Stable" && len(as) == 1 && len(as[0]) == partitions,
			"state %s, protocol %s/%s, members %v, assignments %v", d.State, d.ProtocolType, d.Protocol, who, as)
	}
	offsets, err := groupOffsets(adm)
	add("fetch group offsets: every partition committed at its end", err == nil && sameOffsets(offsets, ends),
		"committed %v, ends %v, err %v", offsets, ends, err)
	if dr, err := adm.DeleteGroups(ctx(), group); err != nil {
		add("delete a group with an active member fails with NON_EMPTY_GROUP", false, "request error %v", err)
	} else {
		e := dr[group].Err
		add("delete a group with an active member fails with NON_EMPTY_GROUP", errors.Is(e, kerr.NonEmptyGroup), "error %v", e)
	}
	closed = m5.stop()
	add("the restarted member closes cleanly", closed, "%s", m5.closeDetail)

	set := kadm.Offsets{}
	set.Add(kadm.Offset{Topic: topic, Partition: 0, At: 5, LeaderEpoch: -1})
	if cr, err := adm.CommitOffsets(ctx(), group, set); err != nil || cr.Error() != nil {
		add("commit offsets for the empty group (partition 0 to 5)", false, "error %v / %v", err, cr.Error())
	} else {
		offsets, err := groupOffsets(adm)
		want := map[int32]int64{}
		for p, o := range ends {
			want[p] = o
		}
		want[0] = 5
		add("commit offsets for the empty group (partition 0 to 5)", err == nil && sameOffsets(offsets, want),
			"committed after %v, err %v", offsets, err)
	}
	del := kadm.TopicsSet{}
	del.Add(topic, 1)
	if dr, err := adm.DeleteOffsets(ctx(), group, del); err != nil || dr.Error() != nil {
		add("OffsetDelete partition 1 of the empty group", false, "error %v / %v", err, dr.Error())
	} else {
		offsets, err := groupOffsets(adm)
		_, still := offsets[1]
		add("OffsetDelete partition 1 of the empty group", err == nil && !still && len(offsets) == partitions-1,
			"committed after %v, err %v", offsets, err)
	}
	if dr, err := adm.DeleteGroups(ctx(), group); err != nil || dr[group].Err != nil {
		add("delete the empty group", false, "error %v / %v", err, dr[group].Err)
	} else {
		add("delete the empty group", true, "deleted")
	}
	count, detail = listCount(admCl)
	offsets, err = groupOffsets(adm)
	add("after the delete: not listed, no committed offsets", count == 0 && err == nil && len(offsets) == 0,
		"%s; committed %v, err %v", detail, offsets, err)
	timings["admin"] = time.Since(t).Milliseconds()
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
		fmt.Fprintln(os.Stderr, "usage: compat-franz-go-groups BOOTSTRAP [RECORDS]")
		os.Exit(2)
	}
	n := 20000
	if len(os.Args) > 2 {
		v, err := strconv.Atoi(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, "records:", err)
			os.Exit(2)
		}
		n = v
	}
	timings := map[string]int64{}
	start := time.Now()
	if err := scenario(os.Args[1], n, timings); err != nil {
		add("scenario ran to the end", false, "%v", err)
	}
	timings["total"] = time.Since(start).Milliseconds()
	out, err := json.Marshal(map[string]any{"client": "franz-go", "version": version(), "checks": checks, "timingsMs": timings})
	if err != nil {
		fmt.Fprintln(os.Stderr, "json:", err)
		os.Exit(2)
	}
	fmt.Println(string(out))
	os.Exit(0) // a member stuck in Close must not keep the process alive
}
