/* SMSC/Microchip LAN9118 (and the software-compatible LAN9220 of the MPS2
 * boards): the registers the driver uses. From the LAN9118 datasheet
 * (DS00002266), 5.3 "System Control and Status Registers", 5.4 "MAC
 * Control and Status Registers" and 5.5 "PHY Registers"; the TX command
 * words from 3.12.2 and the RX status word from 3.13.3. */
#ifndef LAN9118_REGS_H
#define LAN9118_REGS_H

#include <stdint.h>

/* Directly addressed registers, as byte offsets from the base. */
#define RX_DATA_FIFO   0x00u
#define TX_DATA_FIFO   0x20u
#define RX_STATUS_FIFO 0x40u
#define TX_STATUS_FIFO 0x48u
#define ID_REV         0x50u
#define IRQ_CFG        0x54u
#define INT_STS        0x58u
#define INT_EN         0x5Cu
#define BYTE_TEST      0x64u
#define FIFO_INT       0x68u
#define RX_CFG         0x6Cu
#define TX_CFG         0x70u
#define HW_CFG         0x74u
#define RX_DP_CTRL     0x78u
#define RX_FIFO_INF    0x7Cu
#define TX_FIFO_INF    0x80u
#define PMT_CTRL       0x84u
#define MAC_CSR_CMD    0xA4u
#define MAC_CSR_DATA   0xA8u

#define BYTE_TEST_VALUE 0x87654321u

#define IRQ_CFG_IRQ_EN   (1u << 8)
#define IRQ_CFG_IRQ_POL  (1u << 4) /* active high */
#define IRQ_CFG_IRQ_TYPE (1u << 0) /* push-pull */

#define INT_RSFL (1u << 3)  /* RX status FIFO above its level */
#define INT_RXE  (1u << 14) /* receiver error */
#define INT_TXE  (1u << 13) /* transmitter error */
#define INT_RXDF (1u << 6)  /* RX data FIFO overflowed: frames dropped */

#define HW_CFG_SRST    (1u << 0)
#define PMT_CTRL_READY (1u << 0)
#define TX_CFG_TX_ON   (1u << 1)
#define TX_CFG_TXSAO   (1u << 2) /* TX status FIFO may overrun: statuses are not read */
#define RX_DP_FFWD     (1u << 31)

#define RX_FIFO_INF_RXSUSED(v) (((v) >> 16) & 0xFFu)
#define TX_FIFO_INF_TDFREE(v)  ((v)&0xFFFFu)

/* RX status word: frame length (with the FCS) and the error summary. */
#define RX_STS_LENGTH(s) (((s) >> 16) & 0x3FFFu)
#define RX_STS_ES        (1u << 15)

/* TX command A: first and last segment, buffer size; B: tag, frame length. */
#define TX_CMD_A_FIRST (1u << 13)
#define TX_CMD_A_LAST  (1u << 12)

#define MAC_CSR_BUSY (1u << 31)
#define MAC_CSR_READ (1u << 30)

/* MAC CSRs, reached through MAC_CSR_CMD/MAC_CSR_DATA. */
#define MAC_CR       1u
#define MAC_ADDRH    2u
#define MAC_ADDRL    3u
#define MAC_MII_ACC  6u
#define MAC_MII_DATA 7u

#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)

#define MII_ACC_BUSY  (1u << 0)
#define MII_ACC_WRITE (1u << 1)
#define MII_PHY_ADDR  1u /* the internal PHY */
#define MII_ACC(reg, w)                                                                            \
    ((MII_PHY_ADDR << 11) | ((reg) << 6) | ((w) ? MII_ACC_WRITE : 0u) | MII_ACC_BUSY)

/* PHY registers (IEEE 802.3 clause 22). */
#define PHY_BCR            0u
#define PHY_BSR            1u
#define PHY_BCR_RESET      (1u << 15)
#define PHY_BCR_AUTONEG    (1u << 12)
#define PHY_BCR_RESTART_AN (1u << 9)
#define PHY_BSR_LINK       (1u << 2)

#endif
