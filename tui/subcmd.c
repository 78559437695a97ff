/* subcmd.c — the table of vmtui's commands (see subcmd.h): each one's
 * summary, help and handler in one row, and what every command shares:
 * the lookup, `vmtui help`, option errors and the connection. */
#include "subcmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "../model/base/xmalloc.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"

#define HELP_LINE "  -h, --help          show this help and exit\n"
#define CONNECT_LINE \
	"  -c, --connect URI   the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's default)\n"

static const char screen_help[] =
	"Usage: vmtui [OPTION]...\n"
	"       vmtui COMMAND [ARG]...\n"
	"Watch and manage libvirt virtual machines from the terminal.\n"
	"\n"
	"  -c, --connect URI     hypervisor to manage (repeatable; default: the hosts\n"
	"                        of config.yaml, else $LIBVIRT_DEFAULT_URI, else\n"
	"                        libvirt's default)\n"
	"  -H, --host [USER@]HOST[:PORT]\n"
	"                        a hypervisor reached over SSH, in-process (repeatable;\n"
	"                        an alias of ~/.ssh/config works too)\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -r, --readonly        open connections read-only; no action changes a guest\n"
	"  -d, --delay SECONDS   refresh interval (default 2; + and - change it live)\n"
	"  -g, --graphs MODE     braille, block or ascii (default: braille on UTF-8)\n"
	"      --history N       samples kept per graph (default 600)\n"
	"      --no-color        no colours (also when NO_COLOR is set)\n"
	"      --theme NAME|PATH colour theme: dark (default), light, mono,\n"
	"                        high-contrast, or a theme file; * cycles live\n"
	"  -f, --config FILE     config file (default ~/.config/vmtui/config.yaml)\n"
	"      --escape ^X       the key that leaves a guest's console (default ^])\n"
	"      --graphics-protocol kitty|sixel|iterm|symbols\n"
	"                        how a guest's screen (G) is drawn (default: ask the\n"
	"                        terminal; symbols inside tmux or screen)\n"
	"      --record FILE     append every refresh of every host to FILE\n"
	"      --replay FILE     show a recording instead of live hosts\n"
	"      --speed N         replay N times as fast (default 1; + and - change it)\n"
	"  -h, --help            show this help and exit\n"
	"  -V, --version         show the version and exit\n";

static const char validate_help[] =
	"Usage: vmtui validate FILE...\n"
	"Check VM definition files; print every error.\n\n"
	HELP_LINE "\nSee vmtui(1) and vmtui.yaml(5).\n";

static const char plan_help[] =
	"Usage: vmtui plan [-c URI] FILE...\n"
	"Show what apply would do; change nothing.\n\n"
	CONNECT_LINE HELP_LINE "\nSee vmtui(1) and vmtui.yaml(5).\n";

static const char apply_help[] =
	"Usage: vmtui apply [-c URI] [-y] FILE...\n"
	"Create and update the VMs of the files.\n\n"
	CONNECT_LINE
	"  -y, --yes           apply without asking (needed when standard input is no terminal)\n"
	HELP_LINE "\nSee vmtui(1) and vmtui.yaml(5).\n";

static const char export_help[] =
	"Usage: vmtui export [-c URI] [--pool | --network] NAME\n"
	"Print a VM, network or storage pool as a definition file apply can create.\n"
	"NAME is looked up among the VMs, then the networks, then the pools.\n\n"
	CONNECT_LINE
	"      --pool          NAME is a storage pool\n"
	"      --network       NAME is a network\n"
	HELP_LINE "\nSee vmtui(1) and vmtui.yaml(5).\n";

static const char console_help[] =
	"Usage: vmtui console [-c URI] [--force] [--escape ^X] VM\n"
	"Connect the terminal to the VM's serial console until ^] (or --escape).\n\n"
	CONNECT_LINE
	"      --force         take the console over from another client\n"
	"      --escape ^X     the key that leaves the console (default ^])\n"
	HELP_LINE "\nSee vmtui(1).\n";

static const char gscreen_help[] =
	"Usage: vmtui screen [-c URI|-H [USER@]HOST] [-r] [--escape ^X]\n"
	"       [--graphics-protocol kitty|sixel|iterm|symbols] VM\n"
	"Show the VM's graphical screen on the whole terminal, every key and the mouse\n"
	"going to it, until the escape key then q. After the escape key: m sends\n"
	"Ctrl+Alt+Del, Ctrl+Alt+F1..F12, SysRq or Print; t types a line of text; z zooms\n"
	"(fit, 1:1, 2:1); the arrows pan.\n\n"
	CONNECT_LINE
	"  -H, --host [USER@]HOST[:PORT]  a hypervisor reached over SSH\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -r, --readonly      show the screen only: send no key or pointer event\n"
	"      --escape ^X     the prefix key (default ^])\n"
	"      --graphics-protocol P  how the screen is drawn (default: config.yaml's\n"
	"                      graphics_protocol, else ask the terminal; symbols in tmux)\n"
	"  -f, --config FILE   config file for the graphics_* keys (vmtui-config(5))\n"
	HELP_LINE "\nSee vmtui(1) and vmtui-config(5).\n";

static const char resize_help[] =
	"Usage: vmtui resize [-c URI] [-r] VM [--vcpus N] [--max-vcpus N] [--memory SIZE]\n"
	"       [--max-memory SIZE] [--disk DISK=SIZE]... [--live|--config]\n"
	"Change a VM's vCPUs, memory and disk sizes; without changes, show them.\n\n"
	"  -c, --connect URI     the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's default)\n"
	"  -r, --readonly        change nothing; refuse, showing what would change\n"
	"      --vcpus N         vCPUs (at most the maximum and the host's CPUs)\n"
	"      --max-vcpus N     maximum vCPUs (saved configuration: next boot)\n"
	"      --memory SIZE     memory, e.g. 512M, 4G (a bare number is MiB)\n"
	"      --max-memory SIZE maximum memory (saved configuration: next boot)\n"
	"      --disk DISK=SIZE  grow a disk, e.g. vda=20G (a bare number is GiB);\n"
	"                        repeatable; disks never shrink\n"
	"      --live            change only the running guest\n"
	"      --config          change only the saved configuration (next boot)\n"
	"  -h, --help            show this help and exit\n\n"
	"By default a running guest changes now and in its saved configuration, a\n"
	"shut-off one in its configuration. See vmtui(1).\n";

static const char snapshot_help[] =
	"Usage: vmtui snapshot list [-c URI] VM\n"
	"       vmtui snapshot create [-c URI] VM [NAME] [--description TEXT]\n"
	"       vmtui snapshot revert [-c URI] [-y] VM NAME\n"
	"       vmtui snapshot delete [-c URI] [-y] VM NAME\n"
	"Snapshots of a VM: internal qcow2 snapshots, with the memory state when it runs.\n\n"
	"  -c, --connect URI       the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's "
	"default)\n"
	"  -r, --readonly          change nothing (list works; the rest is refused)\n"
	"  -d, --description TEXT  what the snapshot is for (create)\n"
	"  -y, --yes               revert or delete without asking (needed without a "
	"terminal)\n"
	"  -h, --help              show this help and exit\n\n"
	"A new snapshot is named snap-YYYYMMDD-HHMMSS unless NAME is given. See vmtui(1).\n";

static const char clone_help[] =
	"Usage: vmtui clone [-c URI] SRC NEW [--linked] [--start]\n"
	"Clone the shut-off VM SRC as NEW: new UUID and MAC addresses, each disk copied\n"
	"into a new volume of its pool (or, --linked, a qcow2 overlay on SRC's disk).\n\n"
	CONNECT_LINE
	"  -r, --readonly      change nothing; refuse\n"
	"      --linked        overlays backed by SRC's disks (fast; SRC must then stay\n"
	"                      shut off and unchanged while the clone exists)\n"
	"      --start         start the clone when it is made\n"
	HELP_LINE "\nSee vmtui(1).\n";

static const char delete_help[] =
	"Usage: vmtui delete [-c URI] VM [--storage vda,vdb|--all-storage] [--yes-i-typed VM]\n"
	"Delete a VM: force it off when it runs, save its definition to\n"
	"$XDG_STATE_HOME/vmtui/backups/VM-DATE.xml, undefine it (with its snapshot\n"
	"metadata, managed save and NVRAM) and remove the storage volumes asked for.\n\n"
	"  -c, --connect URI      the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's "
	"default)\n"
	"  -r, --readonly         change nothing; refuse\n"
	"      --storage LIST     also remove the volumes of these disks (e.g. vda,vdb)\n"
	"      --all-storage      also remove every volume that can be removed\n"
	"      --yes-i-typed VM   confirm with the VM's exact name (without it, the name\n"
	"                         is asked on the terminal)\n"
	"  -h, --help             show this help and exit\n\nSee vmtui(1).\n";

static const char top_help[] =
	"Usage: vmtui top --batch [-n COUNT] [-d SECONDS] [--csv|--json]\n"
	"                 [-c URI]... [-H [USER@]HOST[:PORT]]... [-r]\n"
	"       vmtui top --record FILE [vmtui options]\n"
	"Write every guest's live figures, one record per guest per sample, without\n"
	"a terminal (--batch); or run the screen and record it (--record, see vmtui -h).\n"
	"\n"
	"  -b, --batch           no screen: records on standard output\n"
	"  -n, --iterations N    stop after N samples (default: until interrupted)\n"
	"  -d, --delay SECONDS   time between samples (default 2); the first sample\n"
	"                        comes one delay after start, rates need two\n"
	"      --csv             CSV (RFC 4180) with a header line\n"
	"      --json            JSON Lines: one object per record\n"
	"  -c, --connect URI     a hypervisor (repeatable)\n"
	"  -H, --host [USER@]HOST[:PORT]  a hypervisor over SSH (repeatable)\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -r, --readonly        read-only connections\n"
	"  -f, --config FILE     hosts from this config file when no -c/-H\n"
	"  -h, --help            show this help and exit\n"
	"\n"
	"cpu_pct is the share of the guest's vCPUs, as in the list. See vmtui(1).\n";

static const char pool_help[] =
	"Usage: vmtui pool list [--json]\n"
	"       vmtui pool info POOL [--json]\n"
	"       vmtui pool create POOL [--type TYPE] [--path DIR] [--source-host HOST]\n"
	"            [--source-dir DIR] [--source-device DEV] [--source-name NAME]\n"
	"            [--source-format FMT] [--build|--no-build] [--no-start] [--no-autostart]\n"
	"       vmtui pool build|start|stop|refresh POOL\n"
	"       vmtui pool autostart POOL [--disable]\n"
	"       vmtui pool delete POOL [--contents] [--yes]\n"
	"Storage pools: list them with their use and the guests using them, create,\n"
	"build, start, stop, refresh, autostart and delete them.\n\n"
	"  -c, --connect URI       the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's "
	"default)\n"
	"  -H, --host [USER@]HOST[:PORT]  a host over SSH, in-process\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -r, --readonly          change nothing (list and info work; the rest is refused)\n"
	"      --json              list and info as JSON\n"
	"      --type TYPE         create: dir (default), fs, netfs, logical, disk, iscsi\n"
	"      --path DIR          create: the target folder (dir, fs, netfs) or /dev/VG\n"
	"      --source-host HOST  create: the server (netfs, iscsi)\n"
	"      --source-dir DIR    create: the export (netfs) or the IQN (iscsi)\n"
	"      --source-device DEV create: the block device (fs, disk) or a PV (logical)\n"
	"      --source-name NAME  create: the volume group (logical)\n"
	"      --source-format FMT create: nfs, cifs, glusterfs (netfs), ext4... (fs), lvm2\n"
	"      --build, --no-build create: build it (mkdir, vgcreate, mkfs); default: dir only\n"
	"      --no-start          create: leave it stopped\n"
	"      --no-autostart      create: do not start it at host boot\n"
	"      --disable           autostart: stop starting it at host boot\n"
	"      --contents          delete: also delete its volumes and its storage\n"
	"  -y, --yes               delete without typing the name (needed without a terminal)\n"
	HELP_LINE "\n"
	"A delete stops and undefines the pool and keeps its storage unless --contents;\n"
	"on a terminal it asks for the pool's name. See vmtui(1).\n";

static const char vol_help[] =
	"Usage: vmtui vol list POOL [--json]\n"
	"       vmtui vol info POOL VOL [--json]\n"
	"       vmtui vol create POOL VOL --size SIZE [--format qcow2|raw] [--backing VOL]\n"
	"       vmtui vol resize POOL VOL SIZE\n"
	"       vmtui vol clone POOL VOL NEW\n"
	"       vmtui vol wipe|delete POOL VOL [--yes]\n"
	"       vmtui vol upload POOL FILE [--name VOL] [--format raw|qcow2|iso]\n"
	"       vmtui vol download POOL VOL FILE [--force]\n"
	"Storage volumes of a pool: list them with their backing chain and the guests\n"
	"using them, create, grow (never shrink), clone, wipe and delete them; upload a\n"
	"file as a new volume, download a volume to a file (sparse-aware, Ctrl-C cancels\n"
	"and leaves no half volume or file).\n\n"
	"  -c, --connect URI       the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's "
	"default)\n"
	"  -H, --host [USER@]HOST[:PORT]  a host over SSH, in-process\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -r, --readonly          change nothing (list and info work; the rest is refused)\n"
	"      --json              list and info as JSON\n"
	"      --size SIZE         create: e.g. 20G, 512M (a bare number is GiB); with\n"
	"                          --backing, default the backing volume's size\n"
	"      --format FMT        create: qcow2 (default) or raw; upload: raw, qcow2 or\n"
	"                          iso (default: read from the file's first bytes)\n"
	"      --backing VOL       create: a qcow2 overlay on VOL (a volume of POOL, or a path)\n"
	"  -y, --yes               wipe or delete without typing the name (needed without a\n"
	"                          terminal)\n"
	"      --name VOL          upload: the new volume's name (default: the file's name)\n"
	"      --force             download: replace FILE if it exists\n"
	"      --bwlimit RATE      upload, download: at most RATE bytes a second (e.g. 20M)\n"
	HELP_LINE "\n"
	"resize only grows. wipe, delete, grow and clone are refused while a guest uses\n"
	"the volume (grow and clone: a running guest), naming the guests. See vmtui(1).\n";
static const char net_help[] =
	"Usage: vmtui net list [--json]\n"
	"       vmtui net info NET [--json]\n"
	"       vmtui net create NAME [--forward nat|route|open|isolated|bridge] [--cidr CIDR]\n"
	"                 [--dhcp-start IP --dhcp-end IP | --no-dhcp] [--bridge DEV] [--dev IF]\n"
	"                 [--domain DOMAIN] [--cidr6 CIDR] [--no-start] [--no-autostart]\n"
	"       vmtui net start NET\n"
	"       vmtui net stop [-y] NET\n"
	"       vmtui net autostart NET [--disable]\n"
	"       vmtui net delete NET [--force] [--yes-i-typed NET]\n"
	"       vmtui net leases NET [--json]\n"
	"       vmtui net pin NET MAC IP [--name HOSTNAME]\n"
	"       vmtui net unpin NET MAC\n"
	"Virtual networks: list, create, start, stop, autostart, delete; their DHCP\n"
	"leases with the guest each belongs to; pin a guest's MAC to an address.\n"
	"Every command takes -c URI or -H HOST.\n\n"
	CONNECT_LINE
	"  -H, --host [USER@]HOST[:PORT]  the host over SSH (URI of -c on that host)\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -r, --readonly      change nothing (list, info and leases work)\n"
	"      --json          list, info, leases: JSON instead of text\n"
	"      --forward MODE  create: nat (default), route, open, isolated, or bridge\n"
	"                      (a bridge the host has: --bridge)\n"
	"      --cidr CIDR     create: the IPv4 network, e.g. 192.168.210.0/24\n"
	"      --dhcp-start IP, --dhcp-end IP  create: the DHCP range (default: the\n"
	"                      second address to the last but one)\n"
	"      --no-dhcp       create: no DHCP server\n"
	"      --bridge DEV    create: the bridge device (bridge: the host's)\n"
	"      --dev IF        create: nat and route forward only through this interface\n"
	"      --domain DOMAIN create: the guests' DNS domain\n"
	"      --cidr6 CIDR    create: an IPv6 network too, e.g. fd00:210::/64\n"
	"      --no-start      create: define it only\n"
	"      --no-autostart  create: do not start it at host boot\n"
	"      --disable       autostart: turn it off\n"
	"  -y, --yes           stop without asking when running guests use it (needed\n"
	"                      without a terminal)\n"
	"      --force         delete even while running guests use it\n"
	"      --yes-i-typed NET  delete: confirm with the network's exact name (without\n"
	"                      it, the name is asked on the terminal)\n"
	"      --name HOSTNAME pin: the hostname handed out with the address\n"
	HELP_LINE "\nSee vmtui(1).\n";
static const char screenshot_help[] =
	"Usage: vmtui screenshot [-c URI|-H [USER@]HOST[:PORT]] VM FILE.png\n"
	"Save a running VM's graphical screen as it is now as a PNG image\n"
	"(virDomainScreenshot), for scripts and bug reports.\n\n"
	"  -c, --connect URI     the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's default)\n"
	"  -H, --host [USER@]HOST[:PORT]  the host, over SSH\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	HELP_LINE "\nPrints FILE and the screen's size. See vmtui(1).\n";

/* Boot, CPU, firmware, TPM and host devices (cli_hwfw.c). */
#define HWFW_COMMON \
	CONNECT_LINE \
	"  -H, --host [USER@]HOST[:PORT]  the host, over SSH\n" \
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n" \
	"  -r, --readonly      change nothing (showing works; a change is refused)\n" \
	"      --dry-run       print the change (XML diff and virsh lines); change nothing\n" \
	HELP_LINE

static const char boot_help[] =
	"Usage: vmtui boot [-c URI|-H HOST] [--dry-run] VM [--order DEV,...] [--menu on|off]\n"
	"Show or change a VM's boot order and boot menu, in its saved configuration:\n"
	"the change takes effect at the next boot (after a shut down and start).\n\n"
	"      --order DEV,...  boot devices in order: hd, cdrom, network, fd; a VM booting\n"
	"                      from per-device <boot order> keeps that form\n"
	"      --menu on|off   the firmware's boot menu\n"
	HWFW_COMMON "\nWithout options, prints the boot order. See vmtui(1).\n";

static const char cpu_help[] =
	"Usage: vmtui cpu [-c URI|-H HOST] [--dry-run] VM [--mode MODE] [--model NAME]\n"
	"       [--topology SOCKETS,CORES,THREADS]\n"
	"Show or change a VM's CPU, checked against what the host can run (its domain\n"
	"capabilities); saved for the next boot.\n\n"
	"      --mode MODE     host-passthrough, host-model or custom\n"
	"      --model NAME    a named CPU model (custom mode), e.g. Nehalem; refused when\n"
	"                      the host cannot run it\n"
	"      --topology S,C,T  sockets, cores and threads; they must multiply to the\n"
	"                      VM's maximum vCPUs\n"
	HWFW_COMMON "\nWithout options, prints the CPU and the host's modes. See vmtui(1).\n";

static const char firmware_help[] =
	"Usage: vmtui firmware [-c URI|-H HOST] [--dry-run] VM [bios|efi]\n"
	"       [--secure-boot on|off]\n"
	"Show or change a VM's firmware: BIOS, or UEFI picked by libvirt's firmware\n"
	"auto-selection (<os firmware='efi'>), with Secure Boot on or off (on needs a q35\n"
	"machine; SMM is turned on with it). Saved for the next boot.\n\n"
	"      --secure-boot on|off  Secure Boot with Microsoft's keys enrolled, or off\n"
	HWFW_COMMON "\nWithout bios or efi and options, prints the firmware and TPM. See vmtui(1).\n";

static const char tpm_help[] =
	"Usage: vmtui tpm add [-c URI|-H HOST] [--dry-run] [--model tpm-crb|tpm-tis] VM\n"
	"       vmtui tpm remove [-c URI|-H HOST] [--dry-run] VM\n"
	"Add an emulated TPM 2.0 (swtpm) to a VM, or remove its TPM; saved for the next\n"
	"boot.\n\n"
	"      --model M       tpm-crb (the default) or tpm-tis\n"
	HWFW_COMMON "\nSee vmtui(1).\n";

static const char hostdev_help[] =
	"Usage: vmtui hostdev list [-c URI|-H HOST] [--json]\n"
	"       vmtui hostdev attach [-c URI|-H HOST] [--dry-run] VM DEV\n"
	"       vmtui hostdev detach [-c URI|-H HOST] [--dry-run] VM DEV\n"
	"The host's PCI and USB devices (vendor, product, driver, IOMMU group, the guest\n"
	"using each); pass one through to a VM (managed: libvirt unbinds it from its host\n"
	"driver), now and in its saved configuration when it runs; release it again.\n"
	"DEV is a name from the list (pci_0000_00_1f_2, usb_1_2), a PCI address (00:1f.2),\n"
	"or USB BUS:DEV or VENDOR:PRODUCT. Refused, with the reason, when the host has no\n"
	"IOMMU, for PCI bridges, the host's own disk controller or live network interface,\n"
	"USB root hubs, devices another guest has, and devices whose IOMMU group holds\n"
	"one the host or another guest has.\n\n"
	"      --json          list as JSON\n"
	HWFW_COMMON "\nSee vmtui(1).\n";
/* A guest's hardware (cli_hw.c). */
#define HW_TARGET_LINES \
	"  -c, --connect URI   the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's default)\n" \
	"  -H, --host [USER@]HOST[:PORT]  the host over SSH (URI of -c on that host)\n" \
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
#define HW_WHEN_LINES \
	"      --live          change the running VM only (refused when it cannot be\n" \
	"                      hot-plugged, or is not running)\n" \
	"      --config        change the saved configuration only (the next boot)\n" \
	"                      (default: both for a running VM, else the saved one)\n" \
	"      --dry-run       show the change, its XML diffs and virsh lines; change\n" \
	"                      nothing\n" \
	"  -r, --readonly      change nothing (--dry-run still works)\n"
static const char hw_help[] =
	"Usage: vmtui hw [-c URI|-H HOST] [--json] VM\n"
	"Every device of a VM (disks, CD-ROMs, NICs, graphics, serial, channels, TPM,\n"
	"RNG, watchdog, host devices, controllers...), with where the running VM and\n"
	"its saved configuration differ: now only, next boot, changed at next boot.\n\n"
	HW_TARGET_LINES
	"      --json          JSON instead of text\n"
	HELP_LINE "\nSee vmtui(1).\n";
static const char disk_help[] =
	"Usage: vmtui disk add [-c URI|-H HOST] VM (--pool POOL --size SIZE [--name VOL] |\n"
	"                  --volume POOL/VOL | --file PATH | --block DEV) [--bus BUS]\n"
	"                  [--target DEV] [--format FMT] [--cache MODE] [--discard MODE]\n"
	"                  [--live] [--config] [--dry-run]\n"
	"       vmtui disk add VM --cdrom [--file ISO | --volume POOL/VOL] [--bus BUS] ...\n"
	"       vmtui disk remove [-c URI|-H HOST] VM TARGET [--delete-volume [-y]]\n"
	"                  [--live] [--config] [--dry-run]\n"
	"       vmtui disk set [-c URI|-H HOST] VM TARGET [--cache MODE] [--discard MODE]\n"
	"                  [--dry-run]\n"
	"Add a disk (a new volume made in POOL, an existing volume, file or block\n"
	"device) or a CD-ROM drive, remove one (its volume kept unless\n"
	"--delete-volume), or change its cache and discard (at the next boot).\n"
	"A running VM gets the disk now and at the next boot; SATA drives cannot be\n"
	"hot-plugged and wait for the next boot.\n\n"
	HW_TARGET_LINES HW_WHEN_LINES
	"      --pool POOL, --size SIZE  add: a new volume of SIZE (20G, 512M; a bare\n"
	"                      number is GiB) in POOL\n"
	"      --name VOL      add: the new volume's name (default VM-TARGET.qcow2)\n"
	"      --volume POOL/VOL  add: an existing volume\n"
	"      --file PATH, --block DEV  add: an existing file or block device\n"
	"      --bus BUS       add: virtio (default), sata, scsi or usb; CD-ROM: sata\n"
	"                      (default), scsi, usb or ide\n"
	"      --target DEV    add: the name in the VM (default: the next free, e.g. vdb)\n"
	"      --format FMT    add: raw, qcow2... (default: the volume's, else raw; a new\n"
	"                      volume: qcow2)\n"
	"      --cache MODE    add, set: default, none, writethrough, writeback,\n"
	"                      directsync or unsafe\n"
	"      --discard MODE  add, set: unmap or ignore (set: \"\" for the default)\n"
	"      --cdrom         add: a CD-ROM drive (empty, or with --file ISO)\n"
	"      --delete-volume remove: delete the disk's volume too (refused while\n"
	"                      another VM uses it)\n"
	"  -y, --yes           remove: delete the volume without asking\n"
	HELP_LINE "\nSee vmtui(1).\n";
static const char media_help[] =
	"Usage: vmtui media insert [-c URI|-H HOST] VM TARGET (ISO | --volume POOL/VOL)\n"
	"                  [--live] [--config] [--dry-run]\n"
	"       vmtui media eject [-c URI|-H HOST] VM TARGET [--live] [--config] [--dry-run]\n"
	"Put an ISO into a VM's CD-ROM drive (TARGET, e.g. sda), or eject it: now and\n"
	"at the next boot for a running VM. `vmtui disk add VM --cdrom` adds a drive.\n\n"
	HW_TARGET_LINES HW_WHEN_LINES
	"      --volume POOL/VOL  insert: a volume of a storage pool\n"
	HELP_LINE "\nSee vmtui(1).\n";
static const char nic_help[] =
	"Usage: vmtui nic add [-c URI|-H HOST] VM [--network NET | --bridge BR]\n"
	"                  [--model MODEL] [--mac MAC] [--link-down] [--live] [--config]\n"
	"                  [--dry-run]\n"
	"       vmtui nic remove [-c URI|-H HOST] VM MAC [--live] [--config] [--dry-run]\n"
	"       vmtui nic link [-c URI|-H HOST] VM MAC up|down [--live] [--config]\n"
	"                  [--dry-run]\n"
	"       vmtui nic move [-c URI|-H HOST] VM MAC (--network NET | --bridge BR)\n"
	"                  [--live] [--config] [--dry-run]\n"
	"A VM's network interfaces: add one (hot-plugged into a running VM), remove\n"
	"one, set its link up or down, or move it to another network or bridge.\n\n"
	HW_TARGET_LINES HW_WHEN_LINES
	"      --network NET   add, move: a libvirt network (add: default \"default\")\n"
	"      --bridge BR     add, move: a bridge of the host\n"
	"      --model MODEL   add: virtio (default), e1000, e1000e, rtl8139, vmxnet3...\n"
	"      --mac MAC       add: its MAC address (default: a new 52:54:00 one)\n"
	"      --link-down     add: with its link down\n"
	HELP_LINE "\nSee vmtui(1).\n";

static const char help_help[] =
	"Usage: vmtui help [COMMAND]\n"
	"Without COMMAND, the screen's options and the list of commands (as vmtui\n"
	"--help); with it, the command's usage and options (as vmtui COMMAND --help).\n";

static const char version_help[] =
	"Usage: vmtui version\n"
	"Show vmtui's version (as vmtui --version).\n";

/* ---- the domain XML edited, and more lifecycle (cli_edit.c, cli_life.c) ---- */

static const char edit_help[] =
	"Usage: vmtui edit [-c URI] [-H [USER@]HOST[:PORT]] [-y] [--resume|--fresh] VM\n"
	"Edit a VM's saved domain XML in $VISUAL (else $EDITOR, else vi), as virsh edit.\n"
	"The edit is kept in $XDG_STATE_HOME/vmtui/edits/HOST-VM.xml until it is defined\n"
	"or discarded. Saved unchanged: nothing is defined. Changed: the diff is shown\n"
	"and asked about; the define is validated against libvirt's schema, and on an\n"
	"error the editor opens again with the error at the top.\n\n"
	"  -c, --connect URI     the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's default)\n"
	"  -H, --host [USER@]HOST[:PORT]  the host over SSH\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -y, --yes             define a changed edit without asking\n"
	"      --resume          go on with a kept edit without asking\n"
	"      --fresh           drop a kept edit and start from the current XML\n"
	"  -h, --help            show this help and exit\n\n"
	"A change to a running guest takes effect at its next boot. See vmtui(1).\n";

#define LIFE_OPTS \
	"  -c, --connect URI     the host (default: $LIBVIRT_DEFAULT_URI, else libvirt's default)\n" \
	"  -H, --host [USER@]HOST[:PORT]  the host over SSH\n" \
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"

static const char reset_help[] =
	"Usage: vmtui reset [-c URI] [-H HOST] [-y] VM\n"
	"Reset a running VM at once, as its reset button: unsaved guest data is lost, so\n"
	"it asks first.\n\n" LIFE_OPTS
	"  -y, --yes             reset without asking (needed without a terminal)\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char save_help[] =
	"Usage: vmtui save [-c URI] [-H HOST] VM\n"
	"       vmtui save --discard [-c URI] [-H HOST] [-y] VM\n"
	"Hibernate a running VM: its memory is saved by libvirt (managed save) and it\n"
	"stops; vmtui restore (or start) brings it back where it was. --discard removes\n"
	"the saved state of a shut-off VM instead (asks first: its memory is lost).\n\n"
	LIFE_OPTS
	"      --discard         remove the saved state\n"
	"  -y, --yes             remove it without asking (needed without a terminal)\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char restore_help[] =
	"Usage: vmtui restore [-c URI] [-H HOST] VM\n"
	"Start a VM from the state vmtui save kept: it runs on where it was saved.\n\n"
	LIFE_OPTS
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char rename_help[] =
	"Usage: vmtui rename [-c URI] [-H HOST] VM NEW-NAME\n"
	"Rename a shut-off VM (libvirt renames only those).\n\n" LIFE_OPTS
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char cad_help[] =
	"Usage: vmtui ctrl-alt-del [-c URI] [-H HOST] VM\n"
	"Send Ctrl+Alt+Del to a running VM's keyboard (its OS decides what it does).\n\n"
	LIFE_OPTS
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char nmi_help[] =
	"Usage: vmtui nmi [-c URI] [-H HOST] VM\n"
	"Inject a non-maskable interrupt into a running VM (e.g. to make a hung kernel\n"
	"dump or panic, as its OS is set up to).\n\n" LIFE_OPTS
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char wake_help[] =
	"Usage: vmtui wake [-c URI] [-H HOST] VM\n"
	"Wake a VM its own OS suspended (pmsuspended: S3/S4 sleep).\n\n" LIFE_OPTS
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char complete_help[] =
	"Usage: vmtui complete words -- vmtui [WORD]... CURRENT\n"
	"       vmtui complete options [COMMAND]\n"
	"       vmtui complete commands|uris|hosts|themes [-f FILE]\n"
	"       vmtui complete guests|pools|nets [-c URI|-H HOST] [--timeout SECONDS]\n"
	"       vmtui complete vols [-c URI|-H HOST] [--timeout SECONDS] POOL\n"
	"The names shell completion offers, one a line (the bash, zsh and fish\n"
	"completions call it). words: what the last word of a vmtui command line can\n"
	"be: a first line \"files\", \"dirs\" or \"-\" (what the shell adds itself),\n"
	"then the candidates. A host is asked in a process without a terminal (no\n"
	"password or host key is asked) that is stopped after the timeout.\n\n"
	CONNECT_LINE
	"  -H, --host [USER@]HOST[:PORT]  the host over SSH\n"
	"      --known-hosts FILE  SSH host keys (default ~/.ssh/known_hosts)\n"
	"  -f, --config FILE   config file of the URIs and hosts (default\n"
	"                      ~/.config/vmtui/config.yaml)\n"
	"      --timeout SECONDS  wait at most this long for a host (default 2, or\n"
	"                      $VMTUI_COMPLETE_TIMEOUT)\n"
	HELP_LINE "\nSee vmtui(1).\n";
static const char info_help[] =
	"Usage: vmtui info [-c URI] [-H HOST] [--json] VM\n"
	"Print what vmtui knows of a VM: state, vCPUs, memory, its address and where it\n"
	"came from (guest agent, DHCP lease, ARP table), and what its guest agent says:\n"
	"OS, kernel, hostname, time zone, users, interfaces with every address,\n"
	"filesystems with used and total bytes. The agent is asked only when the VM's\n"
	"agent channel is connected.\n\n" LIFE_OPTS
	"      --json            one JSON object, for scripts\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char ssh_help[] =
	"Usage: vmtui ssh [-c URI] [-H HOST] [-l USER] [--direct] VM [-- COMMAND...]\n"
	"Log into a running VM with your own ssh (your keys, agent and ~/.ssh/config),\n"
	"at the address its guest agent, DHCP lease or the host's ARP table gives. With\n"
	"-H the connection goes through vmtui's SSH link to that host (ssh's\n"
	"ProxyCommand is `vmtui ssh-proxy`), so a guest on the host's NAT network is\n"
	"reached with no port forward; the guest's key is known as VM.HOST.vmtui.\n"
	"$VMTUI_SSH is the ssh program and options (default ssh); $VMTUI_SSH_USER the\n"
	"user when -l is not given. The exit status is ssh's (255: vmtui's errors).\n\n"
	LIFE_OPTS
	"  -l, --user USER       log in as USER\n"
	"      --direct          with -H: connect to the address directly, no relay\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char ssh_proxy_help[] =
	"Usage: vmtui ssh-proxy SOCKET\n"
	"Carry standard input and output to vmtui's relay at SOCKET: the ProxyCommand\n"
	"`vmtui ssh` gives ssh. Not for use by hand.\n\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char password_help[] =
	"Usage: vmtui password [-c URI] [-H HOST] [--password-stdin] [--crypted] VM USER\n"
	"Set the password of USER inside a running VM, through its guest agent. The\n"
	"password is typed twice without echo, or read as one line from standard input.\n\n"
	LIFE_OPTS
	"      --password-stdin  read the password from standard input\n"
	"      --crypted         the password is already crypt(3)ed\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static int help_main(const struct subcmd *cmd, int argc, char **argv);
static int version_main(const struct subcmd *cmd, int argc, char **argv);

/* Every command, the screen first; `vmtui help` lists them in this order. */
static const char migrate_help[] =
	"Usage: vmtui migrate [-c URI|-H HOST] [options] VM... TARGET\n"
	"Move VMs to another host: TARGET is a libvirt URI or a host of config.yaml.\n"
	"Each VM's pre-flight is printed first (target reachable, CPU compatible, its\n"
	"networks and pools on the target, name free, memory); a failed line stops that\n"
	"VM with nothing changed. Then a progress line a second; Ctrl-C aborts the\n"
	"migration running (the VM stays on the source). VM may be a glob ('web-*').\n\n"
	LIFE_OPTS
	"      --live            a running VM keeps running (the default for one)\n"
	"      --paused          a running VM is paused while its memory is copied\n"
	"      --offline         a shut-off VM's definition (the default for one)\n"
	"      --copy-storage    copy the disks into the target's pools of the same names\n"
	"                        (default: shared storage, the same paths on the target)\n"
	"      --keep-source     keep the definition on the source too\n"
	"      --transient       do not define it on the target (live only)\n"
	"      --unsafe          migrate live although libvirt calls the disks unsafe\n"
	"                        (local disks both hosts see, without cache=none)\n"
	"      --p2p URI         peer-to-peer: the source daemon connects to URI itself\n"
	"      --migrate-uri URI where the data goes (tcp://ADDR[:PORT])\n"
	"      --bandwidth MIB   at most MIB MiB/s\n"
	"      --check           print the pre-flight only; change nothing\n"
	"      --config FILE     the config file naming the hosts\n"
	"  -h, --help            show this help and exit\n\n"
	"The data goes from the source host straight to the target (its hostname, ports\n"
	"49152-49215), also when vmtui reaches the hosts over SSH.\n"
	"Exit status: 0 all moved, 1 bad usage or no source, 2 a pre-flight failed,\n"
	"3 a migration failed, 4 cancelled. See vmtui(1).\n";
#define TAG_OPTS LIFE_OPTS
static const char tag_help[] =
	"Usage: vmtui tag [-c URI] [-H HOST] VM [TAG...]\n"
	"Add tags to a VM; without tags, show its tags and note. A tag is 1 to 32\n"
	"characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit; a VM\n"
	"carries at most 64. They live in the domain's XML (<metadata>, vmtui's\n"
	"namespace): running and saved definitions as the VM's state allows.\n\n" TAG_OPTS
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char untag_help[] =
	"Usage: vmtui untag [-c URI] [-H HOST] VM TAG...\n"
	"       vmtui untag [-c URI] [-H HOST] --all VM\n"
	"Remove tags from a VM (a tag it does not carry is no error).\n\n" TAG_OPTS
	"      --all             remove every tag\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";

static const char note_help[] =
	"Usage: vmtui note [-c URI] [-H HOST] VM TEXT...\n"
	"       vmtui note [-c URI] [-H HOST] VM -\n"
	"       vmtui note [-c URI] [-H HOST] --clear VM\n"
	"Set a VM's note (free text, the words joined by spaces; - reads it from\n"
	"standard input, lines kept), or remove it. Without TEXT, show the note.\n"
	"At most 4000 bytes of UTF-8; no control characters but tab and newline.\n\n"
	TAG_OPTS
	"      --clear           remove the note\n"
	"  -h, --help            show this help and exit\n\nSee vmtui(1).\n";
/* Many guests across hosts (cli_bulk.c, cli_targets.c). */
#define BULK_PICK_LINES \
	"Guests: names, globs ('web-*'), --tag TAG (repeatable) or --all, on the hosts\n" \
	"of -c/-H (repeatable; else config.yaml's hosts, else libvirt's default).\n\n" \
	"  -c, --connect URI       a host by libvirt URI (repeatable)\n" \
	"  -H, --host [USER@]HOST[:PORT]  a host over vmtui's SSH transport (repeatable)\n" \
	"      --known-hosts FILE  SSH known hosts (default ~/.ssh/known_hosts)\n" \
	"  -f, --config FILE       the hosts of this config file when no -c/-H\n" \
	"      --tag TAG           the guests with this tag (repeatable)\n" \
	"  -a, --all               every guest of the hosts\n"
#define BULK_RUN_LINES \
	"      --limit N           operations at once per host (default 8)\n" \
	"      --json              one JSON document at the end instead of lines\n"
#define BULK_END \
	HELP_LINE "\nOne line per guest: its outcome (done, failed, skipped), name, host and\n" \
	"what happened. Exit status 1 when any guest failed or a host was not reached.\n" \
	"Ctrl-C cancels what has not started. See vmtui(1).\n"

static const char start_help[] =
	"Usage: vmtui start [options] VM|GLOB... [--tag TAG]... [--all]\n"
	"Start the guests (a guest with a saved state is restored); running ones are skipped.\n"
	BULK_PICK_LINES BULK_RUN_LINES BULK_END;
static const char shutdown_help[] =
	"Usage: vmtui shutdown [options] VM|GLOB... [--tag TAG]... [--all]\n"
	"Ask the guests' OS to shut down and wait until each has (or the timeout).\n"
	BULK_PICK_LINES BULK_RUN_LINES
	"      --timeout SECONDS   wait this long for each (default 60)\n"
	"      --no-wait           end once libvirt has passed the request on\n" BULK_END;
static const char reboot_help[] =
	"Usage: vmtui reboot [options] VM|GLOB... [--tag TAG]... [--all]\n"
	"Ask the guests' OS to reboot and wait until each has (or the timeout).\n"
	BULK_PICK_LINES BULK_RUN_LINES
	"      --timeout SECONDS   wait this long for each (default 60)\n"
	"      --no-wait           end once libvirt has passed the request on\n" BULK_END;
static const char off_help[] =
	"Usage: vmtui off [options] VM|GLOB... [--tag TAG]... [--all] [-y]\n"
	"Force the guests off (virsh destroy): what they have not written is lost.\n"
	BULK_PICK_LINES BULK_RUN_LINES
	"  -y, --yes               do not ask first (needed without a terminal)\n" BULK_END;
static const char pause_help[] =
	"Usage: vmtui pause [options] VM|GLOB... [--tag TAG]... [--all]\n"
	"Pause the guests' vCPUs (virsh suspend).\n" BULK_PICK_LINES BULK_RUN_LINES BULK_END;
static const char resume_help[] =
	"Usage: vmtui resume [options] VM|GLOB... [--tag TAG]... [--all]\n"
	"Resume paused guests.\n" BULK_PICK_LINES BULK_RUN_LINES BULK_END;
static const char autostart_help[] =
	"Usage: vmtui autostart [options] VM|GLOB... [--tag TAG]... [--all] [--disable]\n"
	"Start the guests when their host boots (or, --disable, no longer).\n"
	BULK_PICK_LINES BULK_RUN_LINES
	"      --disable           turn autostart off\n" BULK_END;
static const char list_help[] =
	"Usage: vmtui list [options] [VM|GLOB...] [--tag TAG]... [--json]\n"
	"Print the guests (all, or those picked): name, host, state and tags.\n"
	BULK_PICK_LINES
	"  -r, --readonly          read-only connections\n"
	"      --json              a JSON array of {name, uuid, host, state, autostart,\n"
	"                          persistent, tags}\n"
	HELP_LINE "\nExit status 1 when a host was not reached. See vmtui(1).\n";

static const struct subcmd subcmds[] = {
	{ NULL, "Watch and manage VMs on the screen.", screen_help, tui_main, CONN_HOSTS, true },
	{ "validate", "Check VM definition files; print every error.", validate_help,
	  cli_validate, CONN_NONE, false },
	{ "plan", "Show what apply would do; change nothing.", plan_help, cli_plan, CONN_READ,
	  false },
	{ "apply", "Create and update the VMs of definition files.", apply_help, cli_apply,
	  CONN_WRITE, false },
	{ "export", "Print a VM, network or pool as a definition apply can create.", export_help,
	  cli_export, CONN_READ, false },
	{ "resize", "Change a VM's vCPUs, memory and disk sizes, or show them.", resize_help,
	  cli_resize, CONN_WRITE, false },
	{ "console", "Connect the terminal to a VM's serial console.", console_help,
	  cli_console, CONN_WRITE, true },
	{ "screen", "Show a VM's graphical screen in the terminal; keys and mouse to it.",
	  gscreen_help, cli_screen, CONN_HOSTS, true },
	{ "snapshot", "List, create, revert to and delete a VM's snapshots.", snapshot_help,
	  cli_snapshot, CONN_WRITE, false },
	{ "clone", "Clone a shut-off VM: new name, UUID and MACs.", clone_help, cli_clone,
	  CONN_WRITE, false },
	{ "delete", "Delete a VM (its definition backed up first) and volumes.", delete_help,
	  cli_delete, CONN_WRITE, false },
	{ "pool", "Storage pools: list, create, build, start, stop, delete...", pool_help,
	  cli_pool, CONN_WRITE, true },
	{ "vol", "Storage volumes: list, create, resize, clone, wipe, delete...", vol_help,
	  cli_vol, CONN_WRITE, true },
	{ "net", "Virtual networks, their DHCP leases and pinned addresses.", net_help, cli_net,
	  CONN_WRITE, false },
	{ "top", "Guests' figures as text, CSV or JSON; or the screen, recorded.",
	  top_help, top_main, CONN_HOSTS, true },
	{ "screenshot", "Save a VM's graphical screen as a PNG image.", screenshot_help,
	  cli_screenshot, CONN_HOSTS, true },
	/* Boot, CPU, firmware, TPM, host devices (cli_hwfw.c). */
	{ "boot", "Show or change a VM's boot order and boot menu (next boot).", boot_help,
	  cli_boot, CONN_WRITE, false },
	{ "cpu", "Show or change a VM's CPU mode, model and topology (next boot).", cpu_help,
	  cli_cpu, CONN_WRITE, false },
	{ "firmware", "Show or change a VM's firmware: BIOS or UEFI, Secure Boot.", firmware_help,
	  cli_firmware, CONN_WRITE, false },
	{ "tpm", "Add or remove a VM's emulated TPM 2.0 (next boot).", tpm_help, cli_tpm,
	  CONN_WRITE, false },
	{ "hostdev", "The host's PCI and USB devices; pass one through to a VM, release it.",
	  hostdev_help, cli_hostdev, CONN_WRITE, false },
	{ "hw", "List a VM's devices, live and saved.", hw_help, cli_hw, CONN_READ, false },
	{ "disk", "Add, remove or tune a VM's disks and CD-ROM drives.", disk_help, cli_hw,
	  CONN_WRITE, false },
	{ "media", "Insert or eject a VM's CD-ROM media.", media_help, cli_hw, CONN_WRITE, false },
	{ "nic", "Add, remove, link up/down or move a VM's network interfaces.", nic_help, cli_hw,
	  CONN_WRITE, false },
	{ "edit", "Edit a VM's domain XML in $EDITOR: diffed, validated, defined.",
	  edit_help, cli_edit, CONN_WRITE, false },
	{ "reset", "Reset a running VM (asks first).", reset_help, cli_life, CONN_WRITE, false },
	{ "save", "Hibernate a VM (managed save), or remove its saved state.", save_help,
	  cli_life, CONN_WRITE, false },
	{ "restore", "Start a VM from its saved state.", restore_help, cli_life, CONN_WRITE,
	  false },
	{ "rename", "Rename a shut-off VM.", rename_help, cli_life, CONN_WRITE, false },
	{ "ctrl-alt-del", "Send Ctrl+Alt+Del to a VM.", cad_help, cli_life, CONN_WRITE, false },
	{ "nmi", "Inject an NMI into a VM.", nmi_help, cli_life, CONN_WRITE, false },
	{ "wake", "Wake a VM its OS suspended.", wake_help, cli_life, CONN_WRITE, false },
	{ "tag", "Add tags to a VM, or show its tags and note.", tag_help, cli_tags,
	  CONN_WRITE, false },
	{ "untag", "Remove tags from a VM.", untag_help, cli_tags, CONN_WRITE, false },
	{ "note", "Set, show or clear a VM's note.", note_help, cli_tags, CONN_WRITE, false },
	/* The guest agent and ssh (cli_agent.c). */
	{ "info", "Print a VM's details and its guest agent's facts (--json too).", info_help,
	  cli_agent, CONN_WRITE, false },
	{ "ssh", "Log into a VM with ssh, through the SSH link to its host.", ssh_help,
	  cli_agent, CONN_WRITE, false },
	{ "ssh-proxy", "ssh's ProxyCommand for vmtui ssh (not for use by hand).", ssh_proxy_help,
	  cli_ssh_proxy, CONN_NONE, false },
	{ "password", "Set a user's password inside a VM (through its guest agent).",
	  password_help, cli_agent, CONN_WRITE, false },
	{ "help", "List the commands, or show one's usage and options.", help_help, help_main,
	  CONN_NONE, false },
	{ "version", "Show vmtui's version.", version_help, version_main, CONN_NONE, false },
	{ "migrate", "Move VMs to another host: live, paused or offline; disks copied or shared.",
	  migrate_help, cli_migrate, CONN_WRITE, false },
	/* Shell completion (cli_complete.c). */
	{ "complete", "The names shell completion offers (for the shells' scripts).",
	  complete_help, cli_complete, CONN_NONE, false },
	/* Many guests across hosts (cli_bulk.c). */
	{ "start", "Start VMs: names, globs, --tag, --all, across hosts.", start_help,
	  cli_bulk_action, CONN_WRITE, true },
	{ "shutdown", "Shut VMs down and wait until they are off.", shutdown_help, cli_bulk_action,
	  CONN_WRITE, true },
	{ "reboot", "Reboot VMs and wait until they have.", reboot_help, cli_bulk_action,
	  CONN_WRITE, true },
	{ "off", "Force VMs off (asks first).", off_help, cli_bulk_action, CONN_WRITE, true },
	{ "pause", "Pause VMs.", pause_help, cli_bulk_action, CONN_WRITE, true },
	{ "resume", "Resume paused VMs.", resume_help, cli_bulk_action, CONN_WRITE, true },
	{ "autostart", "Turn VMs' autostart on or off.", autostart_help, cli_bulk_action,
	  CONN_WRITE, true },
	{ "list", "Print the VMs of the hosts: name, host, state, tags (or JSON).", list_help,
	  cli_list, CONN_READ, false },
};
#define NCOMMANDS (sizeof subcmds / sizeof *subcmds)

const struct subcmd *
subcmd_named(const char *name)
{
	size_t i;

	if (name == NULL)
		return &subcmds[0];
	for (i = 1; i < NCOMMANDS; i++)
		if (strcmp(name, subcmds[i].name) == 0)
			return &subcmds[i];
	return NULL;
}

/* How many words the option at argv[i] takes if it is one of those every
 * command shares (-c URI, -H HOST, -f FILE, --known-hosts FILE, -r); 0
 * when it is another. */
static int
shared_option_words(int argc, char **argv, int i)
{
	static const char *const with_value[] = { "-c", "-H", "-f", "--connect", "--host",
	                                          "--config", "--known-hosts" };
	const char *a = argv[i];
	size_t k, n;

	if (strcmp(a, "-r") == 0 || strcmp(a, "--readonly") == 0)
		return 1;
	for (k = 0; k < sizeof with_value / sizeof with_value[0]; k++) {
		n = strlen(with_value[k]);
		if (strcmp(a, with_value[k]) == 0)
			return i + 1 < argc ? 2 : 0;
		if (strncmp(a, with_value[k], n) == 0 &&
		    ((a[1] != '-' && a[n] != '\0') || (a[1] == '-' && a[n] == '=')))
			return 1; /* -cURI, --connect=URI */
	}
	return 0;
}

const struct subcmd *
subcmd_at(size_t i)
{
	return i < NCOMMANDS ? &subcmds[i] : NULL;
}

const struct subcmd *
subcmd_find(int argc, char **argv)
{
	int i = 1, n;
	char *name;

	/* `vmtui -c URI top --batch`, as virsh and git take them: the shared
	 * options before the command's name are moved after it. */
	while (i < argc && argv[i][0] == '-' && (n = shared_option_words(argc, argv, i)) > 0)
		i += n;
	if (i > 1 && i < argc && argv[i][0] != '-' && subcmd_named(argv[i]) != NULL) {
		name = argv[i];
		memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof *argv);
		argv[1] = name;
	}
	if (argc < 2 || argv[1][0] == '-')
		return &subcmds[0];
	return subcmd_named(argv[1]);
}

/* Does the help text h list option opt ("--batch", "-n") as a word? */
static bool
help_has_option(const char *h, const char *opt)
{
	size_t n = strlen(opt);
	const char *p;

	for (p = strstr(h, opt); p != NULL; p = strstr(p + 1, opt)) {
		char before = p == h ? ' ' : p[-1], after = p[n];
		if ((before == ' ' || before == '[' || before == '|' || before == '(' ||
		     before == ',') &&
		    (after == ' ' || after == ',' || after == ']' || after == '=' ||
		     after == '\n' || after == '|' || after == ')'))
			return true;
	}
	return false;
}

/* After an unknown option: the commands whose help lists it, on stderr
 * ("--batch is an option of vmtui top."), when there are at most three
 * (the options most commands share would say nothing useful). */
static void
say_whose_option(const struct subcmd *cmd, const char *opt)
{
	size_t i, found = 0, which[3];

	for (i = 0; i < NCOMMANDS; i++) {
		if (&subcmds[i] == cmd || !help_has_option(subcmds[i].help, opt))
			continue;
		if (found == 3)
			return;
		which[found++] = i;
	}
	if (found == 0)
		return;
	fprintf(stderr, "%s is an option of ", opt);
	for (i = 0; i < found; i++)
		fprintf(stderr, "%s%svmtui%s%s", i == 0 ? "" : i + 1 == found ? " and " : ", ",
		        "", subcmds[which[i]].name ? " " : "",
		        subcmds[which[i]].name ? subcmds[which[i]].name : "");
	fputs(".\n", stderr);
}

const char *
subcmd_label(const struct subcmd *cmd, char *buf, size_t size)
{
	snprintf(buf, size, "vmtui%s%s", cmd->name ? " " : "", cmd->name ? cmd->name : "");
	return buf;
}

void
subcmd_help(const struct subcmd *cmd, FILE *f)
{
	size_t i;
	int w = 10;

	fputs(cmd->help, f);
	if (cmd->name != NULL)
		return;
	for (i = 1; i < NCOMMANDS; i++)
		if ((int)strlen(subcmds[i].name) > w)
			w = (int)strlen(subcmds[i].name);
	fprintf(f, "\nCommands, without the screen (vmtui help COMMAND for each):\n");
	for (i = 1; i < NCOMMANDS; i++)
		fprintf(f, "  %-*s %s\n", w, subcmds[i].name, subcmds[i].summary);
	fprintf(f, "\nPress ? inside vmtui for the keys. See vmtui(1).\n");
}

void
subcmd_hint(const struct subcmd *cmd)
{
	fprintf(stderr, "Run vmtui help%s%s for its usage and options.\n", cmd->name ? " " : "",
	        cmd->name ? cmd->name : "");
}

/* Whether more than one long option starts with name (getopt_long takes
 * unambiguous prefixes). */
static bool
ambiguous(const char *name, const struct option *longopts)
{
	size_t n = strlen(name), hits = 0;

	for (; longopts && longopts->name; longopts++)
		if (strncmp(longopts->name, name, n) == 0)
			hits++;
	return hits > 1;
}

void
subcmd_bad_option(const struct subcmd *cmd, int ch, char **argv,
                   const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	char label[32], opt[64];
	bool is_long = strncmp(arg, "--", 2) == 0 && (ch == ':' || optopt == 0);

	if (is_long)
		snprintf(opt, sizeof opt, "%.*s%s", (int)(strcspn(arg, "=") > 40 ? 40 :
		         strcspn(arg, "=")), arg, strcspn(arg, "=") > 40 ? "..." : "");
	else
		snprintf(opt, sizeof opt, "-%c", optopt);
	fprintf(stderr, "%s: %s \"%s\"%s; see vmtui help%s%s.\n",
	        subcmd_label(cmd, label, sizeof label),
	        ch == ':' ? "option" : is_long && ambiguous(opt + 2, longopts) ? "ambiguous option"
	                                                                        : "unknown option",
	        opt, ch == ':' ? " needs a value" : "", cmd->name ? " " : "",
	        cmd->name ? cmd->name : "");
	if (ch != ':' && strcmp(opt, "-?") != 0)
		say_whose_option(cmd, opt);
}

void
subcmd_not_here(const struct subcmd *cmd, int ch, char **argv, const struct option *longopts)
{
	const struct option *lo = longopts;
	const char *now = argv[optind - 1], *before = optind >= 2 ? argv[optind - 2] : "";
	char label[32], opt[48];
	bool typed_long;

	while (lo->name && lo->val != ch)
		lo++;
	/* As typed: "--name", "--name=value", "--name value" or "-c". */
	typed_long = lo->name && (ch > 255 || strncmp(now, "--", 2) == 0 ||
	             (lo->has_arg == required_argument && strncmp(before, "--", 2) == 0 &&
	              strchr(before, '=') == NULL));
	if (typed_long)
		snprintf(opt, sizeof opt, "--%s", lo->name);
	else
		snprintf(opt, sizeof opt, "-%c", ch);
	fprintf(stderr, "%s: option %s does not apply here\n", subcmd_label(cmd, label, sizeof label),
	        opt);
	say_whose_option(cmd, opt);
	subcmd_hint(cmd);
}

virConnectPtr
subcmd_connect(const struct subcmd *cmd, const char *uri, bool readonly)
{
	virConnectPtr c = lv_open(uri, readonly || cmd->conn == CONN_READ, NULL);

	if (c == NULL)
		fprintf(stderr, "vmtui: cannot connect to %s: %s\n", uri ? uri : "libvirt's default "
		        "host", virGetLastErrorMessage());
	return c;
}

bool
subcmd_read_tty(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDIN_FILENO))
		return false;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	if (fgets(buf, (int)size, stdin) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return true;
}

bool
subcmd_ask(const char *question)
{
	char line[64];

	return subcmd_read_tty(line, sizeof line, "%s [y/N] ", question) &&
	       (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0);
}

bool
subcmd_typed_name(const char *typed, const char *name, const char *what)
{
	char line[300];

	if (typed)
		return strcmp(typed, name) == 0;
	return subcmd_read_tty(line, sizeof line, "Type the name of the %s to delete it: ", what) &&
	       strcmp(line, name) == 0;
}

/* Whether the only argument is -h or --help. */
static bool
only_help(int argc, char **argv)
{
	return argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
}

/* `vmtui help [COMMAND]`. */
static int
help_main(const struct subcmd *cmd, int argc, char **argv)
{
	const struct subcmd *c = &subcmds[0];

	if (only_help(argc, argv))
		c = cmd;
	else if (argc > 2 || (argc == 2 && (c = subcmd_named(argv[1])) == NULL)) {
		if (argc > 2)
			fprintf(stderr, "vmtui help: expected at most one command name\n");
		else
			fprintf(stderr, "vmtui help: unknown command \"%s\"; vmtui help lists the "
			        "commands.\n", argv[1]);
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	subcmd_help(c, stdout);
	return EXIT_SUCCESS;
}

/* `vmtui version`. */
static int
version_main(const struct subcmd *cmd, int argc, char **argv)
{
	if (only_help(argc, argv)) {
		subcmd_help(cmd, stdout);
		return EXIT_SUCCESS;
	}
	if (argc > 1) {
		fprintf(stderr, "vmtui version: unexpected argument \"%s\"\n", argv[1]);
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	printf("vmtui %s\n", PACKAGE_VERSION);
	return EXIT_SUCCESS;
}

/* ---- a command's connection over SSH (-H) ---- */

/* A question of the SSH login on the terminal (none: cancelled, so an
 * unknown host key is refused and no password is tried). */
static int
ssh_ask_tty(void *opaque, enum sshlink_q kind, const char *question, bool echo, char *answer,
            size_t n)
{
	struct termios old, quiet;
	bool hidden = false;
	char *ok;

	(void)opaque;
	(void)kind;
	if (!isatty(STDIN_FILENO))
		return -1;
	fprintf(stderr, "%s%s", question, kind == SSHLINK_Q_HOSTKEY ? " [yes/no] " : " ");
	fflush(stderr);
	if (!echo && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		hidden = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	ok = fgets(answer, (int)n, stdin);
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (ok == NULL)
		return -1;
	answer[strcspn(answer, "\r\n")] = '\0';
	return 0;
}

int
subcmd_link_open(const struct subcmd_target *t, struct sshlink **link)
{
	struct sshlink_opts o = {
		.target = t->ssh,
		.remote_uri = t->uri,
		.known_hosts = t->known_hosts,
		.ask = ssh_ask_tty,
	};
	char *err = NULL;

	if (sshlink_open(&o, link, &err) < 0) {
		fprintf(stderr, "vmtui: cannot connect to %s: %s\n", t->ssh, err);
		free(err);
		*link = NULL;
		return -1;
	}
	return 0;
}

virConnectPtr
subcmd_connect_via(const struct subcmd *cmd, const struct subcmd_target *t, bool readonly,
                   struct sshlink **link)
{
	virConnectPtr c;

	*link = NULL;
	if (t->ssh == NULL)
		return subcmd_connect(cmd, t->uri, readonly);
	if (subcmd_link_open(t, link) < 0)
		return NULL;
	c = lv_open(sshlink_uri(*link), readonly || cmd->conn == CONN_READ, NULL);
	if (c == NULL) {
		fprintf(stderr, "vmtui: cannot connect to %s over SSH: %s\n", t->ssh,
		        virGetLastErrorMessage());
		sshlink_close(*link);
		*link = NULL;
	}
	return c;
}

char *
subcmd_virsh_uri(virConnectPtr conn, const struct subcmd_target *t)
{
	const char *req = t->uri ? t->uri : "qemu:///system", *sep = strstr(req, ":///");

	if (t->ssh == NULL)
		return t->uri ? xstrdup(t->uri) : virConnectGetURI(conn);
	if (sep == NULL || strchr(req, '+') != NULL)
		return xasprintf("qemu+ssh://%s/system", t->ssh);
	return xasprintf("%.*s+ssh://%s/%s", (int)(sep - req), req, t->ssh, sep + 4);
}
