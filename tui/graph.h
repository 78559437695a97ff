/* graph.h — history graphs as character cells: braille (2x4 dots per cell)
 * where the terminal speaks UTF-8, eighth blocks, or plain ASCII. The
 * rendering is pure (cells out); drawing them is graph_draw's job. */
#ifndef VMTUI_GRAPH_H
#define VMTUI_GRAPH_H

#include <stddef.h>
#include <wchar.h>

#include "../model/stats/ring.h"

enum graph_mode { GRAPH_BRAILLE, GRAPH_BLOCK, GRAPH_ASCII };

/* Round up to a 1-2-5 step so axis labels read well; 0 stays 1. */
double graph_nice_max(double max);

/* Scale for a ring: fixed when fixed_max > 0, else the nice max of the
 * samples shown. */
double graph_scale(const struct ring *r, size_t shown, double fixed_max);

/* Samples one cell column shows in this mode (braille packs two). */
int graph_samples_per_col(enum graph_mode m);

/* Render the newest samples of r right-aligned into w x h cells (row 0 at
 * the top). cells must hold w*h entries. */
void graph_render(const struct ring *r, double max, int w, int h,
                  enum graph_mode m, wchar_t *cells);

/* One-row sparkline of the newest w samples. */
void graph_sparkline(const struct ring *r, double max, int w, enum graph_mode m,
                     wchar_t *cells);

#endif
