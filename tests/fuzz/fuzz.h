/*
 * Fuzz targets: each fuzz_*.c defines LLVMFuzzerTestOneInput.  Built with
 * libFuzzer by `make fuzz`, and with replay.c as a plain test binary that
 * runs the seed and regression corpus under `make check`.
 */
#ifndef KT_FUZZ_H
#define KT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct conf;

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct store	*fuzz_store(const char *name);
void		 fuzz_store_reset(struct store *);
void		 fuzz_conf(struct conf *);
char		*fuzz_cstr(const uint8_t *, size_t);
const char	*fuzz_file(const char *name, const uint8_t *, size_t);
void		 fuzz_fail(const char *what) __attribute__((noreturn));

#endif
