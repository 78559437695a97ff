/* snapcheck.h — what a snapshot of a guest's memory can bring back: pure
 * checks on libvirt's XML, no libvirt calls.
 *
 * libvirt (9.0) reverts to a snapshot with memory state by starting QEMU
 * anew from the snapshot's domain XML with -loadvm. vCPUs that are not boot
 * vCPUs (<vcpu enabled='yes' hotpluggable='yes'>: plugged in after boot, as
 * a live vCPU resize does) are plugged in again only once QEMU is up, after
 * -loadvm has read the memory state; QEMU then refuses that state ("Unknown
 * savevm section or instance 'cpu_common' 1") and the guest is left shut
 * off. Such a revert is refused up front, and taking such a snapshot, or
 * any snapshot of a guest whose running hardware differs from its saved
 * configuration, comes with a warning. */
#ifndef VMTUI_SNAPCHECK_H
#define VMTUI_SNAPCHECK_H

/* How the running guest (live_xml, a <domain>) differs from its saved
 * configuration (cfg_xml): "vCPU 1 plugged in after boot; vCPUs 2
 * running, 1 at next boot; disk vdb only in the running guest". NULL when
 * they agree or either cannot be read. Memory the balloon gave back is not
 * hardware and is left out; maximum memory is not. */
char *snapcheck_drift(const char *live_xml, const char *cfg_xml);

/* The warning that goes with a snapshot of the running guest vm taken now
 * (a sentence or two), or NULL when there is nothing to say. */
char *snapcheck_create_warning(const char *live_xml, const char *cfg_xml, const char *vm);

/* Why libvirt cannot revert to the snapshot snap_xml (a <domainsnapshot>)
 * — a sentence naming the guest, the snapshot and the way out — or NULL
 * when it can. */
char *snapcheck_revert(const char *snap_xml);

#endif
