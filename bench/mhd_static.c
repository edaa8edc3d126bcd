/* mhd_static.c: the library's ceiling for bench/run.sh. A bare
 * libmicrohttpd server with the daemon settings `kenes serve` uses (its
 * polling threads, epoll, the same connection memory and limits) that
 * answers each of the bench's pages from a buffer prepared once: no
 * routing, no cache lookup, no per-request work of ours. What it reaches
 * against nginx on the same bytes is what Kenes could reach at best.
 *
 * Usage: mhd_static DIR PAGES THREADS SECONDS
 *   PAGES: the bench's list, "label path file content-type" per line; the
 *   server answers GET /FILE with DIR/FILE and that Content-Type, anything
 *   else with 404. It listens on 127.0.0.1 on a port the kernel picks,
 *   prints "port N" on stdout once it serves, and stops by itself after
 *   SECONDS (or at SIGTERM / SIGINT). */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PAGES 64

static struct page {
	char url[256];
	struct MHD_Response *resp;
} pages[MAX_PAGES];
static int npages;
static struct MHD_Response *not_found, *not_allowed;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **req)
{
	(void)cls;
	(void)version;
	(void)upload;
	(void)upload_size;
	if (!*req) { /* the headers: answer once the request is complete */
		*req = (void *)1;
		return MHD_YES;
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return MHD_queue_response(con, 405, not_allowed);
	for (int i = 0; i < npages; i++)
		if (!strcmp(url, pages[i].url))
			return MHD_queue_response(con, 200, pages[i].resp);
	return MHD_queue_response(con, 404, not_found);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	if (!fseek(f, 0, SEEK_END)) {
		long n = ftell(f);
		if (n >= 0 && !fseek(f, 0, SEEK_SET) && (data = malloc((size_t)n + 1)) &&
		    fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return data;
}

static int load(const char *dir, const char *list)
{
	FILE *f = fopen(list, "r");
	if (!f) {
		fprintf(stderr, "mhd_static: %s: %s\n", list, strerror(errno));
		return -1;
	}
	char line[1024], label[128], path[512], file[128], ctype[256];
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %511s %127s %255[^\n]", label, path, file, ctype) != 4)
			continue;
		if (npages == MAX_PAGES) {
			fprintf(stderr, "mhd_static: more than %d pages\n", MAX_PAGES);
			break;
		}
		char full[1024];
		snprintf(full, sizeof(full), "%s/%s", dir, file);
		size_t len = 0;
		char *body = slurp(full, &len);
		if (!body) {
			fprintf(stderr, "mhd_static: cannot read %s\n", full);
			fclose(f);
			return -1;
		}
		struct page *p = &pages[npages++];
		snprintf(p->url, sizeof(p->url), "/%s", file);
		p->resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!p->resp || MHD_add_response_header(p->resp, "Content-Type", ctype) != MHD_YES) {
			fprintf(stderr, "mhd_static: cannot prepare %s\n", full);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return npages ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: mhd_static DIR PAGES THREADS SECONDS\n");
		return 2;
	}
	unsigned threads = (unsigned)strtoul(argv[3], NULL, 10);
	long seconds = strtol(argv[4], NULL, 10);
	if (threads < 1 || threads > 64 || seconds < 1) {
		fprintf(stderr, "mhd_static: THREADS 1-64, SECONDS at least 1\n");
		return 2;
	}
	if (load(argv[1], argv[2]))
		return 1;
	static const char nf[] = "not found\n";
	static const char na[] = "GET or HEAD only\n";
	not_found = MHD_create_response_from_buffer(sizeof(nf) - 1, (void *)nf, MHD_RESPMEM_PERSISTENT);
	not_allowed = MHD_create_response_from_buffer(sizeof(na) - 1, (void *)na, MHD_RESPMEM_PERSISTENT);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* as src/http/server.c starts the daemon for `kenes serve` */
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC, 0, NULL, NULL, answer, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024), MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "mhd_static: cannot start the daemon\n");
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || !info->port) {
		fprintf(stderr, "mhd_static: no port\n");
		MHD_stop_daemon(d);
		return 1;
	}
	printf("port %u\n", (unsigned)info->port);
	fflush(stdout);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	struct timespec tick = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
	for (long i = 0; i < seconds * 10 && !stop; i++)
		nanosleep(&tick, NULL);
	MHD_stop_daemon(d);
	for (int i = 0; i < npages; i++)
		MHD_destroy_response(pages[i].resp);
	MHD_destroy_response(not_found);
	MHD_destroy_response(not_allowed);
	return 0;
}
