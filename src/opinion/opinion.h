/* opinion.h: the opinion-mapping engine (Pol.is-compatible PCA, groups, repness, consensus). */
#ifndef KN_OPINION_H
#define KN_OPINION_H
#include <stddef.h>
#include <stdint.h>

/* Vote values, export convention: agree = +1, disagree = -1, pass = 0. */
#define KN_OPINION_AGREE 1
#define KN_OPINION_DISAGREE (-1)
#define KN_OPINION_PASS 0

/* Moderation states of a statement. */
#define KN_OPINION_MOD_REJECTED (-1)
#define KN_OPINION_MOD_UNMODERATED 0
#define KN_OPINION_MOD_ACCEPTED 1

/* One vote event. For a (participant, statement) pair the vote with the
 * largest time wins; on equal times the later one in the input array wins. */
struct kn_opinion_vote {
	int64_t participant;
	int64_t statement;
	int64_t time;
	int value; /* KN_OPINION_AGREE / _DISAGREE / _PASS */
};

/* Moderation of one statement. Statements that have votes but no entry
 * here are treated as unmoderated, not meta. */
struct kn_opinion_statement {
	int64_t id;
	int moderation; /* KN_OPINION_MOD_* */
	int is_meta;	/* non-zero: meta statement (excluded like rejected) */
};

/* Input of one update: the whole conversation as it stands (all votes so
 * far, not only the new ones). The engine never keeps pointers into it. */
struct kn_opinion_input {
	const struct kn_opinion_vote *votes;
	size_t n_votes;
	const struct kn_opinion_statement *statements;
	size_t n_statements;
	int strict_moderation; /* non-zero: unmoderated statements count as moderated out */
};

/* One participant (one per distinct voter), in matrix row order. */
struct kn_opinion_participant {
	int64_t id;
	double x, y;	  /* projection (sparsity-aware scaling) */
	int n_votes;	  /* distinct statements voted on (passes included) */
	int in_conv;	  /* 1 if "in the conversation" (clustered) */
	int base_cluster; /* base cluster id, -1 if not clustered */
	int group;	  /* opinion group id, -1 if not clustered */
};

/* One statement with at least one vote, in matrix column order. */
struct kn_opinion_statement_out {
	int64_t id;
	int moderation, is_meta;
	int mod_out;		      /* 1: rejected or meta (or unmoderated under strict) */
	int n_agree, n_disagree, n_seen; /* all voters (last vote wins) */
	double center;		      /* PCA centre (mean vote) */
	double pc[2];		      /* PCA component loadings */
	double x, y, extremity;	      /* projection of a lone "agree" */
	double gic;		      /* group-informed consensus */
	double priority;	      /* routing priority (0 for rejected) */
};

/* One representative statement of a group. */
struct kn_opinion_repness {
	int64_t statement;
	int agree;     /* 1: representative by agreeing, 0: by disagreeing */
	int best_agree; /* 1: the group's "best agree" entry */
	int n_success, n_trials;
	double p_success, p_test, repness, repness_test;
};

/* One consensus statement (whole population). */
struct kn_opinion_consensus {
	int64_t statement;
	int n_success, n_trials;
	double p_success, p_test;
};

/* One opinion group. n_agree/n_disagree/n_seen have n_statements entries
 * parallel to result->statements (group vote tallies, raw votes). */
struct kn_opinion_group {
	int id;
	size_t n_members;
	double x, y; /* weighted centre */
	int *n_agree, *n_disagree, *n_seen;
	struct kn_opinion_repness *repness;
	size_t n_repness;
};

struct kn_opinion_base_cluster {
	int id;
	double x, y;
	size_t n_members;
	int group; /* opinion group id */
};

struct kn_opinion_state; /* opaque; carries PCA, in-conv set, clusters, k smoother */

/* The result of one update. Everything is owned by the result and freed by
 * kn_opinion_result_free. */
struct kn_opinion_result {
	size_t n_participants, n_in_conv;
	struct kn_opinion_participant *participants;
	size_t n_statements;
	struct kn_opinion_statement_out *statements;
	size_t n_base;
	struct kn_opinion_base_cluster *base;
	size_t n_groups;
	struct kn_opinion_group *groups;
	int k_best, k_smoothed; /* this update's silhouette winner; k used */
	double silhouette[6];	/* silhouette by k (index k; 0 if not run) */
	struct kn_opinion_consensus consensus_agree[5], consensus_disagree[5];
	size_t n_consensus_agree, n_consensus_disagree;
	int pca_iters[2]; /* power-iteration products used per component */
	struct kn_opinion_state *state;
};

/* Runs one update. prev is the state of the previous update (NULL: cold
 * start); it is only read. On success returns 0 and *out is a new result
 * (free with kn_opinion_result_free). On failure (bad input, out of memory)
 * returns -1, *out is NULL, and err (if non-NULL) holds a message. The
 * output depends only on input and prev: bit-identical on every run. */
int kn_opinion_update(const struct kn_opinion_input *in, const struct kn_opinion_state *prev,
		      struct kn_opinion_result **out, char *err, size_t errlen);

/* Frees a result and its state (unless taken). NULL is fine. */
void kn_opinion_result_free(struct kn_opinion_result *r);

/* Moves the state out of a result: the caller owns it (free with
 * kn_opinion_state_free) and may pass it as prev to the next update. */
struct kn_opinion_state *kn_opinion_result_take_state(struct kn_opinion_result *r);
void kn_opinion_state_free(struct kn_opinion_state *s);

/* Index into r->statements of statement id, or -1. */
long kn_opinion_statement_index(const struct kn_opinion_result *r, int64_t id);

/* Group-informed consensus from per-group tallies: product over the n
 * groups of (agree[g] + 1) / (seen[g] + 2), multiplied in array order. */
double kn_opinion_gic(const int *agree, const int *seen, size_t n);

/* Representativeness of one statement for one group, from counts in the
 * group (na, nd, ns) and in the other groups together (ra, rd, rs). */
struct kn_opinion_repstat {
	double pa, pd, zpa, zpd, ra, rd, zra, zrd;
};
void kn_opinion_repstat(int na, int nd, int ns, int rna, int rnd, int rns,
			struct kn_opinion_repstat *o);

/* Mean silhouette of a clustering of n 2-D points (xy interleaved) with
 * labels 0..k-1 (Euclidean, unweighted; lone points score 0). */
double kn_opinion_silhouette(const double *xy, const int *label, size_t n, int k);

#endif
