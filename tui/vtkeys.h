/* vtkeys.h — curses keys as the bytes a guest's terminal expects (the
 * console pane sends them down the serial console). Pure: no terminal. */
#ifndef VMTUI_VTKEYS_H
#define VMTUI_VTKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#define VTKEYS_MAX 8 /* the longest sequence, "\033[24~" or 4 UTF-8 bytes */

/* What wget_wch gave (is_key: a KEY_* code) as bytes in out; returns the
 * count, 0 for a key with no sequence (KEY_RESIZE, KEY_MOUSE...). */
size_t vtkeys_encode(wint_t wc, bool is_key, char out[VTKEYS_MAX]);

#endif
