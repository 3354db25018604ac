/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-target.h: what every fuzz target defines, for libFuzzer or for fuzz-replay.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Runs one input; aborts (g_assert, g_error) when an invariant of the code under test breaks. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Optional: once, before the first input. fuzz-replay.c declares it weak, so that a target
 * without it is NULL there. */
int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
