/* sshlink.h — libvirt's RPC to a remote host over an in-process SSH session.
 *
 * sshlink_open() logs in with libssh (no ssh process, so no prompt ever
 * reaches the terminal: every question goes through the ask callback),
 * checks the host key against OpenSSH's known_hosts, then listens on a
 * private UNIX socket. libvirt connects to that socket through the URI
 * sshlink_uri() gives; every connection it makes is carried on its own SSH
 * channel to `virt-ssh-helper REMOTE_URI` on the remote host (or nc, or a
 * direct stream-local forward to the daemon's socket).
 *
 * Threads: sshlink_open() runs on the caller's thread (a host's worker) and
 * calls ask there. It then hands the session to the link's pump thread,
 * which alone touches it until sshlink_close() has joined it.
 *
 * Like libvirt's own clients, the program must ignore SIGPIPE: when the link
 * dies its sockets close under libvirt's feet. */
#ifndef VMTUI_SSHLINK_H
#define VMTUI_SSHLINK_H

#include <stdbool.h>
#include <stddef.h>

enum sshlink_q {
	SSHLINK_Q_HOSTKEY,    /* unknown host key: answer "yes" to trust it */
	SSHLINK_Q_PASSPHRASE, /* the passphrase of a key file */
	SSHLINK_Q_PASSWORD,   /* the user's password */
	SSHLINK_Q_KBDINT,     /* one keyboard-interactive prompt of the server */
};

/* Ask the user a question; write the NUL-terminated answer (at most n
 * bytes with the NUL) into answer and return 0, or return -1 to cancel.
 * echo false: the answer is secret (do not show it while typed). The
 * caller wipes answer after use. */
typedef int (*sshlink_ask_fn)(void *opaque, enum sshlink_q kind,
                              const char *question, bool echo,
                              char *answer, size_t n);

/* How each libvirt connection reaches the remote daemon. */
enum sshlink_proxy {
	SSHLINK_PROXY_AUTO,        /* virt-ssh-helper if present, else nc -U */
	SSHLINK_PROXY_HELPER,      /* virt-ssh-helper REMOTE_URI (libvirt >= 8) */
	SSHLINK_PROXY_NC,          /* nc -U REMOTE_SOCKET */
	SSHLINK_PROXY_STREAMLOCAL, /* direct-streamlocal channel to REMOTE_SOCKET */
};

struct sshlink_opts {
	const char *target;      /* [user@]host[:port], [user@][v6addr]:port,
	                          * or a Host alias of the ssh config */
	const char *key_file;    /* extra private key to try; NULL: none */
	const char *remote_uri;  /* libvirt URI on the remote host; NULL: qemu:///system */
	const char *known_hosts; /* NULL: ~/.ssh/known_hosts (OpenSSH's file) */
	const char *ssh_config;  /* NULL: ~/.ssh/config and /etc/ssh/ssh_config;
	                          * "": read none */
	const char *runtime_dir; /* where the socket directory is made;
	                          * NULL: $XDG_RUNTIME_DIR/vmtui, else /tmp */
	enum sshlink_proxy proxy;
	const char *remote_socket; /* for nc and streamlocal;
	                            * NULL: /var/run/libvirt/libvirt-sock */
	unsigned timeout_s;      /* connect and each login step; 0: 10 */
	unsigned keepalive_s;    /* declared dead after this long without an
	                          * answer from the server; 0: 15 */
	sshlink_ask_fn ask;      /* NULL: never ask (unknown keys are refused) */
	void *ask_opaque;
	/* Called once, on the pump thread, when the link dies (not on
	 * sshlink_close). Must not call sshlink_close. */
	void (*on_dead)(void *opaque);
	void *dead_opaque;
};

struct sshlink;

/* Connect, check the host key, log in, start listening. 0 and *out, or
 * -1 and *err (a sentence naming the host and what to do; caller frees). */
int sshlink_open(const struct sshlink_opts *o, struct sshlink **out, char **err);
/* The local URI for virConnectOpen*, like qemu+unix:///system?socket=/run/... */
const char *sshlink_uri(const struct sshlink *l);
/* "user@host:port" as connected, for messages. */
const char *sshlink_label(const struct sshlink *l);
/* False once the session died (server gone or silent, network down). */
bool sshlink_alive(struct sshlink *l);
/* Why the link died, or NULL while alive; caller frees. */
char *sshlink_error(struct sshlink *l);
/* The last line the remote proxy command wrote to stderr (for example
 * "virt-ssh-helper: not found"), or NULL; caller frees. */
char *sshlink_remote_stderr(struct sshlink *l);
/* A local socket carried on a new channel of the link to a TCP address
 * (host, port) or a UNIX socket (sock, then host is NULL) as the remote
 * host reaches it: a direct-tcpip or direct-streamlocal forward, pumped
 * by the link's thread like libvirt's connections. Returns the caller's
 * end (blocking, close-on-exec) at once; a channel the server refuses
 * shows as EOF on it. -1 and *err when the link is dead or full. Any
 * thread. */
int sshlink_forward(struct sshlink *l, const char *host, unsigned port, const char *sock,
                    char **err);
/* Stop the pump, close every channel and the session, remove the socket.
 * NULL is fine. */
void sshlink_close(struct sshlink *l);

/* ---- pure parts, exposed for the unit tests ---- */

struct sshlink_target {
	char *user;    /* NULL if not given */
	char *host;    /* without brackets */
	unsigned port; /* 0 if not given */
};
/* Parse [user@]host[:port] / [user@][addr]:port. 0, or -1 and *err. */
int sshlink_parse_target(const char *s, struct sshlink_target *t, char **err);
void sshlink_target_free(struct sshlink_target *t);
/* OpenSSH's form of a SHA256 digest: "SHA256:" and unpadded base64. */
char *sshlink_fingerprint(const unsigned char *digest, size_t len);
/* The local URI for a remote URI and socket path: qemu:///system and
 * /run/x.sock give qemu+unix:///system?socket=/run/x.sock (the path
 * percent-escaped). NULL and *err if the remote URI has a transport or a
 * host part. */
char *sshlink_local_uri(const char *remote_uri, const char *sock, char **err);
/* The command run on the remote host for one connection (quoted for the
 * remote shell), or NULL for SSHLINK_PROXY_STREAMLOCAL. */
char *sshlink_remote_command(enum sshlink_proxy p, const char *remote_uri,
                             const char *remote_socket);
/* s in single quotes for a POSIX shell. */
char *sshlink_shell_quote(const char *s);

#endif
