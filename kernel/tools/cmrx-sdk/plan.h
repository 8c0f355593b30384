/* The final memory plan of a firmware: RAM placement of every process
 * region and the MPU register images that go with it. */
#ifndef CMRX_SDK_PLAN_H
#define CMRX_SDK_PLAN_H

#include "elf32.h"
#include "firmware.h"
#include "layout.h"

struct plan_proc {
    uint32_t data_size;   /* .data + .bss, measured; an updatable process's RAM reserve */
    uint32_t data_used;   /* .data + .bss, measured */
    uint32_t bss_offset;  /* where .bss starts in the region: .data rounded up to its alignment */
    uint32_t shared_size; /* .shared, measured */
    uint32_t stack_slot;  /* per thread, after MPU rounding */
    struct layout_item *data;
    struct layout_item *shared;
    struct layout_item *stacks; /* NULL when the process has no threads */
    uint32_t mpu_ram[4];        /* (data, shared) register images */
};

struct plan {
    struct layout_item *items;
    size_t n_items;
    struct plan_proc *procs;
    uint32_t end;        /* first RAM byte after the process regions */
    uint32_t kernel_ram; /* kernel .data + .bss + main stack, measured */
};

/**
 * Measure the process sections of @p elf (linked with the measuring
 * layout) and place them.
 * @return 0 or -1 with a message.
 */
int plan_build(const struct firmware *fw, const struct elf_file *elf, struct plan *out,
               struct err *e);

void plan_free(struct plan *p);

/** Static MPU images: flash region and null guard, 4 words. */
void plan_static_mpu(const struct firmware *fw, uint32_t out[4]);

/** MPU image of process @p p's MMIO ranges (4 words), or -1 if not expressible. */
int plan_mmio_mpu(const struct firmware *fw, const struct process_decl *p, uint32_t out[4],
                  struct err *e);

/** Encoded attributes of one stack slot region of @p slot bytes. */
uint32_t plan_stack_attr(const struct firmware *fw, uint32_t slot);

#endif
