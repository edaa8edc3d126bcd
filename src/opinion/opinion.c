/* opinion.c: one update of the opinion map: sparse PCA, k-means groups, repness, consensus. */
#include "opinion/opinion.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Z90 1.2816
#define BASE_K 100
#define BASE_STEPS 100
#define GROUP_STEPS 20
#define PCA_STEPS 100
#define MAX_K 5
#define K_BUFFER 4
#define MIN_VOTES 7
#define MIN_IN_CONV 15

/* A stored clustering: n clusters, ids, members as keys (pid or base id). */
struct kclust {
	size_t n;
	int *id;
	size_t *off; /* n + 1 offsets into mem */
	int64_t *mem;
};

struct kn_opinion_state {
	size_t n_rows;
	int64_t *row_pid;
	unsigned char *in_conv;
	size_t n_cols;
	int64_t *col_tid;
	double *comp; /* 2 * n_cols: component k at comp[k * n_cols] */
	int n_comps;
	struct kclust base;
	struct kclust gk[MAX_K + 1]; /* per-k group clusterings (k = 2..5) */
	int have_gk[MAX_K + 1];
	int have_smooth, last_best, best_count, smoothed;
};

__attribute__((format(printf, 3, 4))) static void seterr(char *err, size_t len,
							     const char *fmt, ...);
static void seterr(char *err, size_t len, const char *fmt, ...)
{
	if (!err || !len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* ---- int64 -> int32 open-addressing map -------------------------------- */

struct idmap {
	int64_t *keys;
	int32_t *vals;
	size_t mask;
	size_t n;
};

static int idmap_init(struct idmap *m, size_t expect)
{
	size_t cap = 16;
	while (cap < expect * 2 + 2)
		cap <<= 1;
	m->keys = malloc(cap * sizeof *m->keys);
	m->vals = malloc(cap * sizeof *m->vals);
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		m->keys = NULL;
		m->vals = NULL;
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		m->vals[i] = -1;
	m->mask = cap - 1;
	m->n = 0;
	return 0;
}

static void idmap_free(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
}

static size_t idmap_slot(const struct idmap *m, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
	size_t i = (size_t)(h ^ (h >> 29)) & m->mask;
	while (m->vals[i] >= 0 && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static int32_t idmap_get(const struct idmap *m, int64_t key)
{
	if (!m->keys)
		return -1;
	return m->vals[idmap_slot(m, key)];
}

static int idmap_grow(struct idmap *m)
{
	struct idmap nm;
	if (idmap_init(&nm, (m->mask + 1)) != 0)
		return -1;
	for (size_t i = 0; i <= m->mask; i++)
		if (m->vals[i] >= 0) {
			size_t s = idmap_slot(&nm, m->keys[i]);
			nm.keys[s] = m->keys[i];
			nm.vals[s] = m->vals[i];
		}
	nm.n = m->n;
	idmap_free(m);
	*m = nm;
	return 0;
}

/* Returns the value for key, inserting val if absent; -2 on OOM. */
static int32_t idmap_put(struct idmap *m, int64_t key, int32_t val)
{
	if ((m->n + 1) * 2 > m->mask + 1 && idmap_grow(m) != 0)
		return -2;
	size_t s = idmap_slot(m, key);
	if (m->vals[s] >= 0)
		return m->vals[s];
	m->keys[s] = key;
	m->vals[s] = val;
	m->n++;
	return val;
}

/* ---- small helpers ------------------------------------------------------- */

static void kclust_free(struct kclust *c)
{
	free(c->id);
	free(c->off);
	free(c->mem);
	memset(c, 0, sizeof *c);
}

void kn_opinion_state_free(struct kn_opinion_state *s)
{
	if (!s)
		return;
	free(s->row_pid);
	free(s->in_conv);
	free(s->col_tid);
	free(s->comp);
	kclust_free(&s->base);
	for (int k = 0; k <= MAX_K; k++)
		kclust_free(&s->gk[k]);
	free(s);
}

void kn_opinion_result_free(struct kn_opinion_result *r)
{
	if (!r)
		return;
	free(r->participants);
	free(r->statements);
	free(r->base);
	for (size_t g = 0; g < r->n_groups; g++) {
		free(r->groups[g].n_agree);
		free(r->groups[g].n_disagree);
		free(r->groups[g].n_seen);
		free(r->groups[g].repness);
	}
	free(r->groups);
	kn_opinion_state_free(r->state);
	free(r);
}

struct kn_opinion_state *kn_opinion_result_take_state(struct kn_opinion_result *r)
{
	struct kn_opinion_state *s = r ? r->state : NULL;
	if (r)
		r->state = NULL;
	return s;
}

long kn_opinion_statement_index(const struct kn_opinion_result *r, int64_t id)
{
	for (size_t j = 0; j < r->n_statements; j++)
		if (r->statements[j].id == id)
			return (long)j;
	return -1;
}

double kn_opinion_gic(const int *agree, const int *seen, size_t n)
{
	double p = 1.0;
	for (size_t g = 0; g < n; g++)
		p *= ((double)agree[g] + 1.0) / ((double)seen[g] + 2.0);
	return p;
}

static double ztwo(int succ_in, int n_in, int succ_out, int n_out)
{
	double a = succ_in + 1.0, b = succ_out + 1.0, m = n_in + 1.0, q = n_out + 1.0;
	double p1 = a / m, p2 = b / q, ph = (a + b) / (m + q);
	if (ph >= 1.0)
		return 0.0;
	return (p1 - p2) / sqrt(ph * (1.0 - ph) * (1.0 / m + 1.0 / q));
}

static double zone(int succ, int n)
{
	return 2.0 * sqrt(n + 1.0) * ((succ + 1.0) / (n + 1.0) - 0.5);
}

void kn_opinion_repstat(int na, int nd, int ns, int rna, int rnd, int rns,
			struct kn_opinion_repstat *o)
{
	o->pa = (na + 1.0) / (ns + 2.0);
	o->pd = (nd + 1.0) / (ns + 2.0);
	o->zpa = zone(na, ns);
	o->zpd = zone(nd, ns);
	o->ra = o->pa / ((rna + 1.0) / (rns + 2.0));
	o->rd = o->pd / ((rnd + 1.0) / (rns + 2.0));
	o->zra = ztwo(na, ns, rna, rns);
	o->zrd = ztwo(nd, ns, rnd, rns);
}

double kn_opinion_silhouette(const double *xy, const int *label, size_t n, int k)
{
	if (n == 0 || k <= 0)
		return 0.0;
	double *sum = malloc((size_t)k * sizeof *sum);
	size_t *cnt = calloc((size_t)k, sizeof *cnt);
	if (!sum || !cnt) {
		free(sum);
		free(cnt);
		return 0.0;
	}
	for (size_t i = 0; i < n; i++)
		cnt[label[i]]++;
	double total = 0.0;
	for (size_t i = 0; i < n; i++) {
		int li = label[i];
		if (cnt[li] <= 1)
			continue; /* s = 0 */
		for (int g = 0; g < k; g++)
			sum[g] = 0.0;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
			sum[label[j]] += sqrt(dx * dx + dy * dy);
		}
		double a = sum[li] / (double)(cnt[li] - 1);
		double b = INFINITY;
		for (int g = 0; g < k; g++) {
			if (g == li || cnt[g] == 0)
				continue;
			double m = sum[g] / (double)cnt[g];
			if (m < b)
				b = m;
		}
		if (!isfinite(b))
			continue;
		double mx = a > b ? a : b;
		if (mx > 0)
			total += (b - a) / mx;
	}
	free(sum);
	free(cnt);
	return total / (double)n;
}

/* ---- k-means on 2-D weighted points ------------------------------------ */

struct km {
	size_t n, cap;
	int *id;
	double *cx, *cy, *w;
	int *assign; /* per point: cluster index, -1 none */
};

static void km_free(struct km *k)
{
	free(k->id);
	free(k->cx);
	free(k->cy);
	free(k->w);
	free(k->assign);
	memset(k, 0, sizeof *k);
}

static int km_alloc(struct km *k, size_t cap, size_t np)
{
	memset(k, 0, sizeof *k);
	k->cap = cap;
	k->id = malloc(cap * sizeof *k->id);
	k->cx = malloc(cap * sizeof *k->cx);
	k->cy = malloc(cap * sizeof *k->cy);
	k->w = malloc(cap * sizeof *k->w);
	k->assign = malloc((np ? np : 1) * sizeof *k->assign);
	if (!k->id || !k->cx || !k->cy || !k->w || !k->assign) {
		km_free(k);
		return -1;
	}
	return 0;
}

/* Recomputes centres and weights from assign; drops empty clusters. */
static void km_recentre(struct km *k, const double *px, const double *py, const double *pw,
			size_t np, int *remap)
{
	for (size_t c = 0; c < k->n; c++) {
		k->cx[c] = 0.0;
		k->cy[c] = 0.0;
		k->w[c] = 0.0;
	}
	for (size_t p = 0; p < np; p++) {
		int c = k->assign[p];
		if (c < 0)
			continue;
		double w = pw ? pw[p] : 1.0;
		k->cx[c] += w * px[p];
		k->cy[c] += w * py[p];
		k->w[c] += w;
	}
	size_t m = 0;
	for (size_t c = 0; c < k->n; c++) {
		if (k->w[c] <= 0.0) {
			remap[c] = -1;
			continue;
		}
		remap[c] = (int)m;
		k->id[m] = k->id[c];
		k->cx[m] = k->cx[c] / k->w[c];
		k->cy[m] = k->cy[c] / k->w[c];
		k->w[m] = k->w[c];
		m++;
	}
	if (m != k->n)
		for (size_t p = 0; p < np; p++)
			if (k->assign[p] >= 0)
				k->assign[p] = remap[k->assign[p]];
	k->n = m;
}

static int cmp_xy(const void *a, const void *b)
{
	const double *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	if (x[1] != y[1])
		return x[1] < y[1] ? -1 : 1;
	return 0;
}

static size_t count_distinct(const double *px, const double *py, size_t np)
{
	if (np == 0)
		return 0;
	double *t = malloc(np * 2 * sizeof *t);
	if (!t)
		return np;
	for (size_t p = 0; p < np; p++) {
		t[2 * p] = px[p];
		t[2 * p + 1] = py[p];
	}
	qsort(t, np, 2 * sizeof *t, cmp_xy);
	size_t d = 1;
	for (size_t p = 1; p < np; p++)
		if (t[2 * p] != t[2 * p - 2] || t[2 * p + 1] != t[2 * p - 1])
			d++;
	free(t);
	return d;
}

struct assign_job {
	const double *px, *py;
	const struct km *k;
	int *assign;
	size_t from, to;
};

static void *assign_range(void *arg)
{
	struct assign_job *j = arg;
	const struct km *k = j->k;
	for (size_t p = j->from; p < j->to; p++) {
		double x = j->px[p], y = j->py[p], best = INFINITY;
		int bi = 0;
		for (size_t c = 0; c < k->n; c++) {
			double dx = x - k->cx[c], dy = y - k->cy[c];
			double d = dx * dx + dy * dy;
			if (d <= best) {
				best = d;
				bi = (int)c;
			}
		}
		j->assign[p] = bi;
	}
	return NULL;
}

/* Assigns every point to its nearest centre (exact ties: last cluster).
 * Each point is independent, so two threads give the same result. */
static void km_assign(struct km *k, const double *px, const double *py, size_t np)
{
	struct assign_job j[2] = {{px, py, k, k->assign, 0, np / 2},
				  {px, py, k, k->assign, np / 2, np}};
	pthread_t th;
	if (np * k->n >= 200000 && pthread_create(&th, NULL, assign_range, &j[1]) == 0) {
		assign_range(&j[0]);
		pthread_join(th, NULL);
	} else {
		j[0].to = np;
		assign_range(&j[0]);
	}
}

/* k-means as described in docs (cold: first k distinct points; warm:
 * clean start from prev). Points px/py with weights pw (NULL: 1) and keys.
 * Returns 0, or -1 on OOM. Result clusters sorted by id. */
static int km_run(const double *px, const double *py, const double *pw, const int64_t *key,
		  size_t np, int k, int steps, const struct kclust *prev, struct km *out)
{
	size_t cap = (size_t)k + (prev ? prev->n : 0) + 2;
	if (km_alloc(out, cap, np) != 0)
		return -1;
	int *remap = malloc(cap * sizeof *remap);
	double *old = malloc(cap * 2 * sizeof *old), *neu = malloc(cap * 2 * sizeof *neu);
	if (!remap || !old || !neu)
		goto oom;
	for (size_t p = 0; p < np; p++)
		out->assign[p] = -1;
	out->n = 0;
	if (np == 0)
		goto done;
	if (!prev || prev->n == 0) {
		for (size_t p = 0; p < np && out->n < (size_t)k; p++) {
			size_t c;
			for (c = 0; c < out->n; c++)
				if (out->cx[c] == px[p] && out->cy[c] == py[p])
					break;
			if (c < out->n)
				continue;
			out->id[out->n] = (int)out->n;
			out->cx[out->n] = px[p];
			out->cy[out->n] = py[p];
			out->w[out->n] = 1.0;
			out->n++;
		}
	} else {
		struct idmap km_keys;
		if (idmap_init(&km_keys, np) != 0)
			goto oom;
		for (size_t p = 0; p < np; p++)
			if (idmap_put(&km_keys, key[p], (int32_t)p) == -2) {
				idmap_free(&km_keys);
				goto oom;
			}
		for (size_t c = 0; c < prev->n; c++) {
			out->id[out->n] = prev->id[c];
			int any = 0;
			for (size_t m = prev->off[c]; m < prev->off[c + 1]; m++) {
				int32_t p = idmap_get(&km_keys, prev->mem[m]);
				if (p >= 0 && out->assign[p] < 0) {
					out->assign[p] = (int)out->n;
					any = 1;
				}
			}
			if (any)
				out->n++;
		}
		idmap_free(&km_keys);
		if (out->n == 0) {
			out->id[0] = 0;
			out->n = 1;
			for (size_t p = 0; p < np; p++)
				out->assign[p] = 0;
		}
		km_recentre(out, px, py, pw, np, remap);
		/* merge clusters with identical centres: the larger keeps its id */
		for (size_t a = 0; a < out->n; a++)
			for (size_t b = a + 1; b < out->n; b++) {
				if (out->cx[a] != out->cx[b] || out->cy[a] != out->cy[b])
					continue;
				size_t keep = out->w[b] > out->w[a] ? b : a;
				size_t drop = keep == a ? b : a;
				for (size_t p = 0; p < np; p++)
					if (out->assign[p] == (int)drop)
						out->assign[p] = (int)keep;
				out->w[drop] = 0.0;
			}
		km_recentre(out, px, py, pw, np, remap);
		size_t target = count_distinct(px, py, np);
		if (target > (size_t)k)
			target = (size_t)k;
		while (out->n < target && out->n < cap) {
			double far = 0.0;
			size_t fp = 0;
			int found = 0;
			for (size_t p = 0; p < np; p++) {
				if (out->assign[p] < 0)
					continue;
				double best = INFINITY;
				for (size_t c = 0; c < out->n; c++) {
					double dx = px[p] - out->cx[c], dy = py[p] - out->cy[c];
					double d = sqrt(dx * dx + dy * dy);
					if (d < best)
						best = d;
				}
				if (best > far) {
					far = best;
					fp = p;
					found = 1;
				}
			}
			if (!found || !(far > 0.0))
				break;
			int maxid = 0;
			for (size_t c = 0; c < out->n; c++)
				if (out->id[c] > maxid)
					maxid = out->id[c];
			out->id[out->n] = maxid + 1;
			out->assign[fp] = (int)out->n;
			out->n++;
			km_recentre(out, px, py, pw, np, remap);
		}
	}
	for (int step = 0; step <= steps; step++) {
		size_t nold = out->n;
		for (size_t c = 0; c < nold; c++) {
			old[2 * c] = out->cx[c];
			old[2 * c + 1] = out->cy[c];
		}
		km_assign(out, px, py, np);
		km_recentre(out, px, py, pw, np, remap);
		if (out->n != nold)
			continue;
		for (size_t c = 0; c < out->n; c++) {
			neu[2 * c] = out->cx[c];
			neu[2 * c + 1] = out->cy[c];
		}
		qsort(old, nold, 2 * sizeof *old, cmp_xy);
		qsort(neu, nold, 2 * sizeof *neu, cmp_xy);
		int conv = 1;
		for (size_t c = 0; c < nold && conv; c++) {
			double dx = old[2 * c] - neu[2 * c], dy = old[2 * c + 1] - neu[2 * c + 1];
			if (!(sqrt(dx * dx + dy * dy) < 0.01))
				conv = 0;
		}
		if (conv)
			break;
	}
done:
	free(remap);
	free(old);
	free(neu);
	return 0;
oom:
	free(remap);
	free(old);
	free(neu);
	km_free(out);
	return -1;
}

/* Stores a km clustering as a kclust with member keys. */
static int km_store(const struct km *k, const int64_t *key, size_t np, struct kclust *dst)
{
	memset(dst, 0, sizeof *dst);
	dst->n = k->n;
	dst->id = malloc((k->n ? k->n : 1) * sizeof *dst->id);
	dst->off = calloc(k->n + 1, sizeof *dst->off);
	dst->mem = malloc((np ? np : 1) * sizeof *dst->mem);
	if (!dst->id || !dst->off || !dst->mem) {
		kclust_free(dst);
		return -1;
	}
	for (size_t c = 0; c < k->n; c++)
		dst->id[c] = k->id[c];
	for (size_t p = 0; p < np; p++)
		if (k->assign[p] >= 0)
			dst->off[k->assign[p] + 1]++;
	for (size_t c = 0; c < k->n; c++)
		dst->off[c + 1] += dst->off[c];
	size_t *pos = malloc((k->n ? k->n : 1) * sizeof *pos);
	if (!pos) {
		kclust_free(dst);
		return -1;
	}
	memcpy(pos, dst->off, k->n * sizeof *pos);
	for (size_t p = 0; p < np; p++)
		if (k->assign[p] >= 0)
			dst->mem[pos[k->assign[p]]++] = key[p];
	free(pos);
	return 0;
}

/* ---- sparse PCA ---------------------------------------------------------- */

struct spm {
	size_t nr, nc;
	const size_t *rp;
	const int32_t *ci;
	const double *xv; /* centred values */
};

#define NCHUNK 2

struct mv_job {
	const struct spm *m;
	const double *v;
	const double *u; /* deflation scores or NULL */
	double t;	 /* pc1 . v */
	double *w;	 /* this chunk's partial X'^T X' v */
	double us;	 /* partial sum u . s */
	size_t from, to;
};

static void *mv_range(void *arg)
{
	struct mv_job *j = arg;
	const struct spm *m = j->m;
	double *w = j->w;
	memset(w, 0, m->nc * sizeof *w);
	double us = 0.0;
	for (size_t r = j->from; r < j->to; r++) {
		size_t a = m->rp[r], b = m->rp[r + 1];
		double s = 0.0;
		for (size_t e = a; e < b; e++)
			s += m->xv[e] * j->v[m->ci[e]];
		if (j->u) {
			s -= j->u[r] * j->t;
			us += j->u[r] * s;
		}
		if (s != 0.0)
			for (size_t e = a; e < b; e++)
				w[m->ci[e]] += s * m->xv[e];
	}
	j->us = us;
	return NULL;
}

/* w = X'^T X' v with X' = X - u pc^T (u NULL: no deflation). Rows are split
 * into NCHUNK fixed ranges whose partial sums are added in order, so the
 * result is the same whether one or two threads run them. */
static void pca_mul(const struct spm *m, struct mv_job *jobs, const double *v,
		    const double *u, const double *pc, double *w)
{
	double t = 0.0;
	if (u)
		for (size_t c = 0; c < m->nc; c++)
			t += pc[c] * v[c];
	for (int i = 0; i < NCHUNK; i++) {
		jobs[i].v = v;
		jobs[i].u = u;
		jobs[i].t = t;
	}
	pthread_t th;
	int threaded = m->rp[m->nr] >= 50000 && pthread_create(&th, NULL, mv_range, &jobs[1]) == 0;
	mv_range(&jobs[0]);
	if (threaded)
		pthread_join(th, NULL);
	else
		mv_range(&jobs[1]);
	double us = 0.0;
	for (int i = 0; i < NCHUNK; i++)
		us += jobs[i].us;
	for (size_t c = 0; c < m->nc; c++)
		w[c] = jobs[0].w[c] + jobs[1].w[c];
	if (u)
		for (size_t c = 0; c < m->nc; c++)
			w[c] -= pc[c] * us;
}

/* Power iteration: v in/out (start vector -> unit component or zeros).
 * Returns the number of products evaluated. */
static int power_iter(const struct spm *m, struct mv_job *jobs, double *v, double *w,
		      const double *u, const double *pc)
{
	double last = -1.0;
	int it;
	for (it = 0; it <= PCA_STEPS; it++) {
		pca_mul(m, jobs, v, u, pc, w);
		double n2 = 0.0;
		for (size_t c = 0; c < m->nc; c++)
			n2 += w[c] * w[c];
		double nrm = sqrt(n2);
		if (!(nrm > 0.0)) {
			memset(v, 0, m->nc * sizeof *v);
			return it + 1;
		}
		for (size_t c = 0; c < m->nc; c++)
			v[c] = w[c] / nrm;
		if (nrm == last)
			return it + 1;
		last = nrm;
	}
	return it;
}

/* ---- the update ------------------------------------------------------------ */

struct sort_key {
	int64_t a, b;
	size_t i;
};

static int cmp_key(const void *x, const void *y)
{
	const struct sort_key *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return p->i < q->i ? -1 : (p->i > q->i);
}

struct rank_item {
	double key;
	size_t i;
};

static int cmp_rank_desc(const void *x, const void *y)
{
	const struct rank_item *p = x, *q = y;
	if (p->key != q->key)
		return p->key > q->key ? -1 : 1;
	return p->i < q->i ? -1 : (p->i > q->i);
}

/* Orders ids: those found in prev (by their prev position) first, then new
 * ones by (k1, id). ids[i] -> out rank in order[]. Returns -1 on OOM. */
static int order_ids(const int64_t *ids, const int64_t *k1, size_t n, const int64_t *prev,
		     size_t nprev, int32_t *rank)
{
	struct idmap pm;
	if (idmap_init(&pm, nprev) != 0)
		return -1;
	for (size_t i = 0; i < nprev; i++)
		if (idmap_put(&pm, prev[i], (int32_t)i) == -2) {
			idmap_free(&pm);
			return -1;
		}
	struct sort_key *sk = malloc((n ? n : 1) * sizeof *sk);
	if (!sk) {
		idmap_free(&pm);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int32_t p = idmap_get(&pm, ids[i]);
		if (p >= 0) {
			sk[i].a = INT64_MIN;
			sk[i].b = p;
		} else {
			sk[i].a = k1 ? k1[i] : ids[i];
			sk[i].b = ids[i];
		}
		sk[i].i = i;
	}
	qsort(sk, n, sizeof *sk, cmp_key);
	for (size_t r = 0; r < n; r++)
		rank[sk[r].i] = (int32_t)r;
	free(sk);
	idmap_free(&pm);
	return 0;
}

/* Everything allocated during one update, freed together. */
struct work {
	struct idmap pmap, tmap, smap;
	int64_t *pids, *tids, *pmin;
	int32_t *lp, *lt, *prow, *tcol;
	size_t *cnt, *o1, *o2;
	size_t *rp;
	int32_t *ci;
	signed char *rv;
	double *xv, *u, *comp, *v, *w, *jobw;
	double *px, *py, *cpx, *cpy, *bw, *bxy;
	int64_t *ckey, *bkey;
	size_t *icrow;
	int *glabel;
	struct km base, gk[MAX_K + 1];
	struct rank_item *ri;
};

static void work_free(struct work *w)
{
	idmap_free(&w->pmap);
	idmap_free(&w->tmap);
	idmap_free(&w->smap);
	free(w->pids);
	free(w->tids);
	free(w->pmin);
	free(w->lp);
	free(w->lt);
	free(w->prow);
	free(w->tcol);
	free(w->cnt);
	free(w->o1);
	free(w->o2);
	free(w->rp);
	free(w->ci);
	free(w->rv);
	free(w->xv);
	free(w->u);
	free(w->comp);
	free(w->v);
	free(w->w);
	free(w->jobw);
	free(w->px);
	free(w->py);
	free(w->cpx);
	free(w->cpy);
	free(w->bw);
	free(w->bxy);
	free(w->ckey);
	free(w->bkey);
	free(w->icrow);
	free(w->glabel);
	km_free(&w->base);
	for (int k = 0; k <= MAX_K; k++)
		km_free(&w->gk[k]);
	free(w->ri);
}

#define NEW(p, n) ((p) = malloc(((n) > 0 ? (size_t)(n) : 1) * sizeof *(p)))
#define NEWZ(p, n) ((p) = calloc(((n) > 0 ? (size_t)(n) : 1), sizeof *(p)))

static int finalize_repness(struct kn_opinion_group *grp, size_t g, size_t ng,
			    const struct kn_opinion_result *r, struct rank_item *ri);

int kn_opinion_update(const struct kn_opinion_input *in, const struct kn_opinion_state *prev,
		      struct kn_opinion_result **out, char *err, size_t errlen)
{
	struct work W;
	memset(&W, 0, sizeof W);
	struct kn_opinion_result *R = NULL;
	struct kn_opinion_state *S = NULL;
	size_t nv = in->n_votes;
	*out = NULL;

	for (size_t i = 0; i < nv; i++) {
		int v = in->votes[i].value;
		if (v < -1 || v > 1) {
			seterr(err, errlen, "vote %zu: value %d is not -1, 0 or 1", i, v);
			return -1;
		}
	}
	if (nv > (size_t)INT32_MAX) {
		seterr(err, errlen, "too many votes");
		return -1;
	}
	R = calloc(1, sizeof *R);
	S = calloc(1, sizeof *S);
	if (!R || !S)
		goto oom;
	R->state = S;

	/* 1. distinct participants and statements */
	if (idmap_init(&W.pmap, 1024) || idmap_init(&W.tmap, 1024) ||
	    idmap_init(&W.smap, in->n_statements))
		goto oom;
	if (!NEW(W.lp, nv) || !NEW(W.lt, nv))
		goto oom;
	size_t cap_p = 1024, cap_t = 1024;
	if (!NEW(W.pids, cap_p) || !NEW(W.pmin, cap_p) || !NEW(W.tids, cap_t))
		goto oom;
	for (size_t i = 0; i < nv; i++) {
		const struct kn_opinion_vote *vt = &in->votes[i];
		int32_t p = idmap_put(&W.pmap, vt->participant, (int32_t)W.pmap.n);
		int32_t t = idmap_put(&W.tmap, vt->statement, (int32_t)W.tmap.n);
		if (p == -2 || t == -2)
			goto oom;
		if ((size_t)p >= cap_p) {
			cap_p *= 2;
			int64_t *a = realloc(W.pids, cap_p * sizeof *a);
			if (!a)
				goto oom;
			W.pids = a;
			a = realloc(W.pmin, cap_p * sizeof *a);
			if (!a)
				goto oom;
			W.pmin = a;
		}
		if ((size_t)t >= cap_t) {
			cap_t *= 2;
			int64_t *a = realloc(W.tids, cap_t * sizeof *a);
			if (!a)
				goto oom;
			W.tids = a;
		}
		W.lp[i] = p;
		W.lt[i] = t;
	}
	size_t N = W.pmap.n, C = W.tmap.n;
	for (size_t i = 0; i < nv; i++) {
		W.pids[W.lp[i]] = in->votes[i].participant;
		W.tids[W.lt[i]] = in->votes[i].statement;
	}
	for (size_t p = 0; p < N; p++)
		W.pmin[p] = INT64_MAX;
	for (size_t i = 0; i < nv; i++)
		if (in->votes[i].statement < W.pmin[W.lp[i]])
			W.pmin[W.lp[i]] = in->votes[i].statement;

	/* 2. row and column order: previous order kept, new ones appended */
	if (!NEW(W.prow, N) || !NEW(W.tcol, C))
		goto oom;
	if (order_ids(W.tids, NULL, C, prev ? prev->col_tid : NULL, prev ? prev->n_cols : 0,
		      W.tcol) ||
	    order_ids(W.pids, W.pmin, N, prev ? prev->row_pid : NULL, prev ? prev->n_rows : 0,
		      W.prow))
		goto oom;

	/* 3. last vote wins: stable counting sorts by column then by row */
	if (!NEW(W.o1, nv) || !NEW(W.o2, nv) || !NEWZ(W.cnt, (N > C ? N : C) + 1))
		goto oom;
	for (size_t i = 0; i < nv; i++)
		W.cnt[W.tcol[W.lt[i]] + 1]++;
	for (size_t c = 0; c < C; c++)
		W.cnt[c + 1] += W.cnt[c];
	for (size_t i = 0; i < nv; i++)
		W.o1[W.cnt[W.tcol[W.lt[i]]]++] = i;
	memset(W.cnt, 0, ((N > C ? N : C) + 1) * sizeof *W.cnt);
	for (size_t i = 0; i < nv; i++)
		W.cnt[W.prow[W.lp[i]] + 1]++;
	for (size_t r = 0; r < N; r++)
		W.cnt[r + 1] += W.cnt[r];
	for (size_t k = 0; k < nv; k++) {
		size_t i = W.o1[k];
		W.o2[W.cnt[W.prow[W.lp[i]]]++] = i;
	}
	free(W.o1);
	W.o1 = NULL;
	if (!NEWZ(W.rp, N + 1) || !NEW(W.ci, nv) || !NEW(W.rv, nv))
		goto oom;
	size_t nnz = 0;
	for (size_t k = 0; k < nv;) {
		size_t i = W.o2[k];
		size_t r = (size_t)W.prow[W.lp[i]];
		int32_t c = W.tcol[W.lt[i]];
		size_t win = i;
		size_t k2 = k + 1;
		while (k2 < nv && W.prow[W.lp[W.o2[k2]]] == (int32_t)r &&
		       W.tcol[W.lt[W.o2[k2]]] == c) {
			if (in->votes[W.o2[k2]].time >= in->votes[win].time)
				win = W.o2[k2];
			k2++;
		}
		W.ci[nnz] = c;
		W.rv[nnz] = (signed char)in->votes[win].value;
		W.rp[r + 1]++;
		nnz++;
		k = k2;
	}
	for (size_t r = 0; r < N; r++)
		W.rp[r + 1] += W.rp[r];
	free(W.o2);
	W.o2 = NULL;
	free(W.lp);
	W.lp = NULL;
	free(W.lt);
	W.lt = NULL;

	/* 4. participants, statements, moderation */
	R->n_participants = N;
	R->n_statements = C;
	if (!NEWZ(R->participants, N) || !NEWZ(R->statements, C))
		goto oom;
	for (size_t p = 0; p < N; p++) {
		struct kn_opinion_participant *pt = &R->participants[W.prow[p]];
		pt->id = W.pids[p];
	}
	for (size_t t = 0; t < C; t++)
		R->statements[W.tcol[t]].id = W.tids[t];
	for (size_t i = 0; i < in->n_statements; i++)
		if (idmap_put(&W.smap, in->statements[i].id, (int32_t)i) == -2)
			goto oom;
	size_t n_modout = 0;
	for (size_t c = 0; c < C; c++) {
		struct kn_opinion_statement_out *st = &R->statements[c];
		int32_t s = idmap_get(&W.smap, st->id);
		st->moderation = s >= 0 ? in->statements[s].moderation : KN_OPINION_MOD_UNMODERATED;
		st->is_meta = s >= 0 ? (in->statements[s].is_meta != 0) : 0;
		st->mod_out = st->moderation == KN_OPINION_MOD_REJECTED || st->is_meta ||
			      (in->strict_moderation && st->moderation == KN_OPINION_MOD_UNMODERATED);
		n_modout += (size_t)st->mod_out;
	}
	for (size_t r = 0; r < N; r++) {
		R->participants[r].n_votes = (int)(W.rp[r + 1] - W.rp[r]);
		R->participants[r].base_cluster = -1;
		R->participants[r].group = -1;
	}
	for (size_t e = 0; e < nnz; e++) {
		struct kn_opinion_statement_out *st = &R->statements[W.ci[e]];
		st->n_seen++;
		st->n_agree += W.rv[e] > 0;
		st->n_disagree += W.rv[e] < 0;
	}
	for (size_t c = 0; c < C; c++) {
		struct kn_opinion_statement_out *st = &R->statements[c];
		st->center = st->mod_out || st->n_seen == 0
				     ? 0.0
				     : (double)(st->n_agree - st->n_disagree) / (double)st->n_seen;
	}

	/* 5. in-conversation set (sticky), topped up to 15 */
	if (!NEWZ(S->in_conv, N) || !NEW(S->row_pid, N) || !NEW(S->col_tid, C))
		goto oom;
	S->n_rows = N;
	S->n_cols = C;
	for (size_t r = 0; r < N; r++)
		S->row_pid[r] = R->participants[r].id;
	for (size_t c = 0; c < C; c++)
		S->col_tid[c] = R->statements[c].id;
	if (prev) {
		struct idmap pm;
		if (idmap_init(&pm, prev->n_rows) != 0)
			goto oom;
		for (size_t i = 0; i < prev->n_rows; i++)
			if (prev->in_conv[i] && idmap_put(&pm, prev->row_pid[i], 1) == -2) {
				idmap_free(&pm);
				goto oom;
			}
		for (size_t r = 0; r < N; r++)
			if (idmap_get(&pm, S->row_pid[r]) >= 0)
				S->in_conv[r] = 1;
		idmap_free(&pm);
	}
	size_t need = C < MIN_VOTES ? C : MIN_VOTES;
	size_t n_in = 0;
	for (size_t r = 0; r < N; r++) {
		if ((size_t)R->participants[r].n_votes >= need)
			S->in_conv[r] = 1;
		n_in += S->in_conv[r];
	}
	if (n_in < MIN_IN_CONV && n_in < N) {
		if (!NEW(W.ri, N))
			goto oom;
		size_t m = 0;
		for (size_t r = 0; r < N; r++)
			if (!S->in_conv[r]) {
				W.ri[m].key = R->participants[r].n_votes;
				W.ri[m].i = r;
				m++;
			}
		qsort(W.ri, m, sizeof *W.ri, cmp_rank_desc);
		for (size_t q = 0; q < m && n_in < MIN_IN_CONV; q++) {
			S->in_conv[W.ri[q].i] = 1;
			n_in++;
		}
		free(W.ri);
		W.ri = NULL;
	}
	R->n_in_conv = n_in;
	for (size_t r = 0; r < N; r++)
		R->participants[r].in_conv = S->in_conv[r];

	/* 6. sparse centred matrix and PCA */
	if (!NEW(W.xv, nnz) || !NEWZ(S->comp, 2 * C) || !NEW(W.v, C) || !NEW(W.w, C) ||
	    !NEW(W.u, N) || !NEW(W.jobw, NCHUNK * C))
		goto oom;
	for (size_t e = 0; e < nnz; e++) {
		const struct kn_opinion_statement_out *st = &R->statements[W.ci[e]];
		W.xv[e] = st->mod_out ? 0.0 : (double)W.rv[e] - st->center;
	}
	struct spm M = {N, C, W.rp, W.ci, W.xv};
	struct mv_job jobs[NCHUNK];
	{
		/* fixed split of rows into two chunks by half the entries */
		size_t half = 0;
		while (half < N && W.rp[half] < nnz / 2)
			half++;
		for (int i = 0; i < NCHUNK; i++) {
			jobs[i].m = &M;
			jobs[i].w = W.jobw + (size_t)i * C;
			jobs[i].from = i == 0 ? 0 : half;
			jobs[i].to = i == 0 ? half : N;
		}
	}
	S->n_comps = (int)(N < C ? N : C);
	if (S->n_comps > 2)
		S->n_comps = 2;
	struct idmap pcm = {0};
	int warm = 0;
	if (prev && prev->comp && prev->n_comps > 0) {
		if (idmap_init(&pcm, prev->n_cols) != 0)
			goto oom;
		for (size_t c = 0; c < prev->n_cols; c++)
			if (idmap_put(&pcm, prev->col_tid[c], (int32_t)c) == -2) {
				idmap_free(&pcm);
				goto oom;
			}
		warm = 1;
	}
	for (int k = 0; k < S->n_comps; k++) {
		double *pc = S->comp + (size_t)k * C;
		int nonzero = 0;
		if (warm && k < prev->n_comps) {
			for (size_t c = 0; c < C; c++) {
				int32_t o = idmap_get(&pcm, R->statements[c].id);
				W.v[c] = o >= 0 ? prev->comp[(size_t)k * prev->n_cols + o] : 1.0;
			}
			for (size_t c = 0; c < prev->n_cols; c++)
				if (prev->comp[(size_t)k * prev->n_cols + c] != 0.0)
					nonzero = 1;
		}
		if (!nonzero)
			for (size_t c = 0; c < C; c++)
				W.v[c] = 1.0;
		if (k == 0) {
			R->pca_iters[0] = power_iter(&M, jobs, W.v, W.w, NULL, NULL);
		} else {
			const double *pc1 = S->comp;
			double pp = 0.0;
			for (size_t c = 0; c < C; c++)
				pp += pc1[c] * pc1[c];
			if (pp > 0.0) {
				for (size_t r = 0; r < N; r++) {
					double s = 0.0;
					for (size_t e = W.rp[r]; e < W.rp[r + 1]; e++)
						s += W.xv[e] * pc1[W.ci[e]];
					W.u[r] = s / pp;
				}
				R->pca_iters[1] = power_iter(&M, jobs, W.v, W.w, W.u, pc1);
			} else {
				R->pca_iters[1] = power_iter(&M, jobs, W.v, W.w, NULL, NULL);
			}
		}
		memcpy(pc, W.v, C * sizeof *pc);
	}
	if (warm)
		idmap_free(&pcm);

	/* 7. projections */
	if (!NEW(W.px, N) || !NEW(W.py, N))
		goto oom;
	int full = S->n_comps == 2;
	for (size_t r = 0; r < N; r++) {
		double p1 = 0.0, p2 = 0.0;
		size_t nmod = 0;
		for (size_t e = W.rp[r]; e < W.rp[r + 1]; e++) {
			p1 += W.xv[e] * S->comp[W.ci[e]];
			p2 += W.xv[e] * S->comp[C + (size_t)W.ci[e]];
			nmod += (size_t)R->statements[W.ci[e]].mod_out;
		}
		size_t ni = (W.rp[r + 1] - W.rp[r]) - nmod + n_modout;
		if (ni < 1)
			ni = 1;
		double sc = sqrt((double)C / (double)ni);
		R->participants[r].x = full ? sc * p1 : 0.0;
		R->participants[r].y = full ? sc * p2 : 0.0;
	}
	for (size_t c = 0; c < C; c++) {
		struct kn_opinion_statement_out *st = &R->statements[c];
		st->pc[0] = S->n_comps > 0 ? S->comp[c] : 0.0;
		st->pc[1] = S->n_comps > 1 ? S->comp[C + c] : 0.0;
		double a = st->mod_out ? 0.0 : (double)KN_OPINION_AGREE - st->center;
		double sc = sqrt((double)C);
		st->x = full ? sc * a * st->pc[0] : 0.0;
		st->y = full ? sc * a * st->pc[1] : 0.0;
		st->extremity = sqrt(st->x * st->x + st->y * st->y);
	}

	/* 8. base clusters on in-conversation participants (row order) */
	if (!NEW(W.cpx, n_in) || !NEW(W.cpy, n_in) || !NEW(W.ckey, n_in) || !NEW(W.icrow, n_in))
		goto oom;
	{
		size_t m = 0;
		for (size_t r = 0; r < N; r++)
			if (S->in_conv[r]) {
				W.cpx[m] = R->participants[r].x;
				W.cpy[m] = R->participants[r].y;
				W.ckey[m] = R->participants[r].id;
				W.icrow[m] = r;
				m++;
			}
	}
	if (km_run(W.cpx, W.cpy, NULL, W.ckey, n_in, BASE_K, BASE_STEPS,
		   prev ? &prev->base : NULL, &W.base) != 0)
		goto oom;
	if (km_store(&W.base, W.ckey, n_in, &S->base) != 0)
		goto oom;
	size_t nb = W.base.n;
	R->n_base = nb;
	if (!NEWZ(R->base, nb) || !NEW(W.bw, nb) || !NEW(W.bkey, nb) || !NEW(W.bxy, 2 * nb) ||
	    !NEW(W.glabel, nb))
		goto oom;
	for (size_t b = 0; b < nb; b++) {
		R->base[b].id = W.base.id[b];
		R->base[b].x = W.base.cx[b];
		R->base[b].y = W.base.cy[b];
		R->base[b].n_members = (size_t)W.base.w[b];
		W.bw[b] = W.base.w[b];
		W.bkey[b] = W.base.id[b];
		W.bxy[2 * b] = W.base.cx[b];
		W.bxy[2 * b + 1] = W.base.cy[b];
	}
	for (size_t m = 0; m < n_in; m++)
		R->participants[W.icrow[m]].base_cluster = W.base.id[W.base.assign[m]];

	/* 9. group clusterings for k = 2..max_k, silhouette, smoother */
	int maxk = 2 + (int)(nb / 12);
	if (maxk > MAX_K)
		maxk = MAX_K;
	int bestk = 2;
	double bests = -INFINITY;
	for (int k = 2; k <= maxk && nb > 0; k++) {
		const struct kclust *pk = prev && prev->have_gk[k] ? &prev->gk[k] : NULL;
		double *bx = malloc(nb * sizeof *bx), *by = malloc(nb * sizeof *by);
		if (!bx || !by) {
			free(bx);
			free(by);
			goto oom;
		}
		for (size_t b = 0; b < nb; b++) {
			bx[b] = W.base.cx[b];
			by[b] = W.base.cy[b];
		}
		int rc = km_run(bx, by, W.bw, W.bkey, nb, k, GROUP_STEPS, pk, &W.gk[k]);
		free(bx);
		free(by);
		if (rc != 0 || km_store(&W.gk[k], W.bkey, nb, &S->gk[k]) != 0)
			goto oom;
		S->have_gk[k] = 1;
		double s = kn_opinion_silhouette(W.bxy, W.gk[k].assign, nb, (int)W.gk[k].n);
		R->silhouette[k] = s;
		if (s >= bests) {
			bests = s;
			bestk = k;
		}
	}
	if (prev && prev->have_smooth) {
		S->last_best = prev->last_best;
		S->best_count = prev->best_count;
		S->smoothed = prev->smoothed;
		if (bestk == S->last_best) {
			S->best_count++;
		} else {
			S->last_best = bestk;
			S->best_count = 1;
		}
		if (S->best_count >= K_BUFFER)
			S->smoothed = bestk;
		if (S->smoothed > maxk)
			S->smoothed = maxk;
		if (S->smoothed < 2)
			S->smoothed = 2;
	} else {
		S->last_best = bestk;
		S->best_count = 1;
		S->smoothed = bestk;
	}
	S->have_smooth = 1;
	R->k_best = bestk;
	R->k_smoothed = S->smoothed;

	/* 10. groups, tallies */
	size_t ng = nb > 0 ? W.gk[S->smoothed].n : 0;
	const struct km *GK = &W.gk[S->smoothed];
	R->n_groups = ng;
	if (!NEWZ(R->groups, ng))
		goto oom;
	for (size_t g = 0; g < ng; g++) {
		struct kn_opinion_group *gr = &R->groups[g];
		gr->id = GK->id[g];
		gr->x = GK->cx[g];
		gr->y = GK->cy[g];
		gr->n_members = (size_t)GK->w[g];
		if (!NEWZ(gr->n_agree, C) || !NEWZ(gr->n_disagree, C) || !NEWZ(gr->n_seen, C))
			goto oom;
	}
	for (size_t b = 0; b < nb; b++)
		R->base[b].group = GK->id[GK->assign[b]];
	for (size_t m = 0; m < n_in; m++) {
		size_t r = W.icrow[m];
		int g = GK->assign[W.base.assign[m]];
		R->participants[r].group = GK->id[g];
		struct kn_opinion_group *gr = &R->groups[g];
		for (size_t e = W.rp[r]; e < W.rp[r + 1]; e++) {
			int32_t c = W.ci[e];
			gr->n_seen[c]++;
			gr->n_agree[c] += W.rv[e] > 0;
			gr->n_disagree[c] += W.rv[e] < 0;
		}
	}

	/* 11. GIC and priorities */
	for (size_t c = 0; c < C; c++) {
		struct kn_opinion_statement_out *st = &R->statements[c];
		double gic = 1.0;
		int A = 0, D = 0, Sn = 0;
		for (size_t g = 0; g < ng; g++) {
			const struct kn_opinion_group *gr = &R->groups[g];
			gic *= (gr->n_agree[c] + 1.0) / (gr->n_seen[c] + 2.0);
			A += gr->n_agree[c];
			D += gr->n_disagree[c];
			Sn += gr->n_seen[c];
		}
		st->gic = gic;
		if (st->is_meta) {
			st->priority = 49.0;
		} else if (st->mod_out) {
			st->priority = 0.0;
		} else {
			double P = Sn - A - D;
			double imp = (1.0 - (P + 1.0) / (Sn + 2.0)) * (st->extremity + 1.0) *
				     ((A + 1.0) / (Sn + 2.0));
			double nov = 1.0 + 8.0 * pow(2.0, -(double)Sn / 5.0);
			st->priority = (imp * nov) * (imp * nov);
		}
	}

	/* 12. representative statements */
	if (!NEW(W.ri, C))
		goto oom;
	for (size_t g = 0; g < ng; g++)
		if (finalize_repness(&R->groups[g], g, ng, R, W.ri) != 0)
			goto oom;

	/* 13. consensus over everyone with a vote */
	for (int side = 0; side < 2; side++) {
		size_t m = 0;
		for (size_t c = 0; c < C; c++) {
			const struct kn_opinion_statement_out *st = &R->statements[c];
			if (st->mod_out)
				continue;
			int succ = side == 0 ? st->n_agree : st->n_disagree;
			double p = (succ + 1.0) / (st->n_seen + 2.0);
			double z = zone(succ, st->n_seen);
			if (p > 0.5 && z > Z90) {
				W.ri[m].key = p * z;
				W.ri[m].i = c;
				m++;
			}
		}
		qsort(W.ri, m, sizeof *W.ri, cmp_rank_desc);
		struct kn_opinion_consensus *dst =
			side == 0 ? R->consensus_agree : R->consensus_disagree;
		size_t take = m < 5 ? m : 5;
		for (size_t q = 0; q < take; q++) {
			const struct kn_opinion_statement_out *st = &R->statements[W.ri[q].i];
			int succ = side == 0 ? st->n_agree : st->n_disagree;
			dst[q].statement = st->id;
			dst[q].n_success = succ;
			dst[q].n_trials = st->n_seen;
			dst[q].p_success = (succ + 1.0) / (st->n_seen + 2.0);
			dst[q].p_test = zone(succ, st->n_seen);
		}
		if (side == 0)
			R->n_consensus_agree = take;
		else
			R->n_consensus_disagree = take;
	}

	work_free(&W);
	*out = R;
	return 0;
oom:
	work_free(&W);
	if (R)
		kn_opinion_result_free(R);
	else
		kn_opinion_state_free(S);
	seterr(err, errlen, "out of memory");
	return -1;
}

struct rep_cand {
	size_t c;
	int agree;
	double metric;
	struct kn_opinion_repstat s;
	int na, nd, ns;
};

static void rep_fill(struct kn_opinion_repness *o, const struct rep_cand *k, int64_t id, int best)
{
	o->statement = id;
	o->agree = k->agree;
	o->best_agree = best;
	o->n_success = k->agree ? k->na : k->nd;
	o->n_trials = k->ns;
	o->p_success = k->agree ? k->s.pa : k->s.pd;
	o->p_test = k->agree ? k->s.zpa : k->s.zpd;
	o->repness = k->agree ? k->s.ra : k->s.rd;
	o->repness_test = k->agree ? k->s.zra : k->s.zrd;
}

/* Representative statements of group g (see docs/opinion.md). */
static int finalize_repness(struct kn_opinion_group *grp, size_t g, size_t ng,
			    const struct kn_opinion_result *r, struct rank_item *ri)
{
	size_t C = r->n_statements;
	struct rep_cand *suff = malloc((C ? C : 1) * sizeof *suff);
	if (!suff)
		return -1;
	size_t nsuff = 0;
	struct rep_cand best = {0}, ba = {0};
	int have_best = 0, have_ba = 0;
	double best_val = -INFINITY;
	for (size_t c = 0; c < C; c++) {
		if (r->statements[c].mod_out)
			continue;
		struct rep_cand k = {0};
		k.c = c;
		k.na = grp->n_agree[c];
		k.nd = grp->n_disagree[c];
		k.ns = grp->n_seen[c];
		int ra = 0, rd = 0, rs = 0;
		for (size_t h = 0; h < ng; h++) {
			if (h == g)
				continue;
			ra += r->groups[h].n_agree[c];
			rd += r->groups[h].n_disagree[c];
			rs += r->groups[h].n_seen[c];
		}
		kn_opinion_repstat(k.na, k.nd, k.ns, ra, rd, rs, &k.s);
		k.agree = k.s.zra > k.s.zrd;
		k.metric = k.agree ? k.s.ra * k.s.zra * k.s.pa * k.s.zpa
				   : k.s.rd * k.s.zrd * k.s.pd * k.s.zpd;
		int sufficient = (k.s.zpa > Z90 && k.s.zra > Z90) || (k.s.zpd > Z90 && k.s.zrd > Z90);
		if (sufficient) {
			suff[nsuff++] = k;
		} else if (nsuff == 0) {
			double mv = k.s.zra > k.s.zrd ? k.s.zra : k.s.zrd;
			if (mv > best_val) {
				best_val = mv;
				best = k;
				have_best = 1;
			}
		}
		if (!(k.na == 0 && k.nd == 0)) {
			int q;
			if (have_ba && ba.s.ra > 1.0)
				q = k.s.ra * k.s.zra * k.s.pa * k.s.zpa >
				    ba.s.ra * ba.s.zra * ba.s.pa * ba.s.zpa;
			else if (have_ba)
				q = k.s.pa * k.s.zpa > ba.s.pa * ba.s.zpa;
			else
				q = k.s.zpa > Z90 || (k.s.ra > 1.0 && k.s.pa > 0.5);
			if (q) {
				ba = k;
				have_ba = 1;
			}
		}
	}
	struct kn_opinion_repness *o = calloc(6, sizeof *o);
	if (!o) {
		free(suff);
		return -1;
	}
	size_t n = 0;
	if (nsuff == 0) {
		if (have_ba)
			rep_fill(&o[n++], &ba, r->statements[ba.c].id, 1);
		else if (have_best)
			rep_fill(&o[n++], &best, r->statements[best.c].id, 0);
	} else {
		size_t m = 0;
		for (size_t q = 0; q < nsuff; q++) {
			if (have_ba && suff[q].c == ba.c)
				continue;
			ri[m].key = suff[q].metric;
			ri[m].i = q;
			m++;
		}
		qsort(ri, m, sizeof *ri, cmp_rank_desc);
		if (have_ba)
			rep_fill(&o[n++], &ba, r->statements[ba.c].id, 1);
		for (size_t q = 0; q < m && n < 5; q++)
			rep_fill(&o[n++], &suff[ri[q].i], r->statements[suff[ri[q].i].c].id, 0);
		/* stable: agree-representative first */
		struct kn_opinion_repness tmp[5];
		size_t t = 0;
		for (size_t q = 0; q < n; q++)
			if (o[q].agree)
				tmp[t++] = o[q];
		for (size_t q = 0; q < n; q++)
			if (!o[q].agree)
				tmp[t++] = o[q];
		memcpy(o, tmp, n * sizeof *o);
	}
	grp->repness = o;
	grp->n_repness = n;
	free(suff);
	return 0;
}
