/* ratelimit.c: a fixed table of failure counters keyed by hash; the oldest
 * entry is reused when the table is full, so memory stays bounded. */
#include "app/ratelimit.h"
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define SLOTS 4096

struct slot {
	uint64_t key;
	int64_t first; /* start of the window */
	long count;
};

static struct slot table[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash(const char *key)
{
	uint64_t h;
	crypto_generichash((unsigned char *)&h, sizeof(h), (const unsigned char *)key, strlen(key), NULL, 0);
	return h ? h : 1;
}

static struct slot *find(uint64_t k, bool create, int64_t now, long window)
{
	struct slot *oldest = NULL;
	unsigned start = (unsigned)(k % SLOTS);
	for (unsigned i = 0; i < 16; i++) {
		struct slot *s = &table[(start + i) % SLOTS];
		if (s->key == k)
			return s;
		if (!create)
			continue;
		if (!s->key || s->first + window < now) {
			oldest = s;
			break;
		}
		if (!oldest || s->first < oldest->first)
			oldest = s;
	}
	if (!create)
		return NULL;
	oldest->key = k;
	oldest->first = now;
	oldest->count = 0;
	return oldest;
}

bool kn_rl_blocked(const char *key, long limit, long window, int64_t now)
{
	uint64_t k = hash(key);
	pthread_mutex_lock(&mu);
	struct slot *s = find(k, false, now, window);
	bool blocked = s && s->first + window > now && s->count >= limit;
	pthread_mutex_unlock(&mu);
	return blocked;
}

void kn_rl_fail(const char *key, long window, int64_t now)
{
	uint64_t k = hash(key);
	pthread_mutex_lock(&mu);
	struct slot *s = find(k, true, now, window);
	if (s->first + window <= now) {
		s->first = now;
		s->count = 0;
	}
	s->count++;
	pthread_mutex_unlock(&mu);
}

void kn_rl_clear(const char *key)
{
	uint64_t k = hash(key);
	pthread_mutex_lock(&mu);
	struct slot *s = find(k, false, 0, 0);
	if (s)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&mu);
}
