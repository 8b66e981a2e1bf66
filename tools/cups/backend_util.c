// SPDX-License-Identifier: GPL-2.0
/*
 * The CUPS backend's pieces that need no kernel (see backend_util.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/parclass.h>

#include "backend_util.h"

int pcb_parse_uri(const char *uri, uint32_t *port, int *daisy)
{
	unsigned long n = 0;
	const char *p;
	int slashes = 0, m = -1;

	if (!uri || strncasecmp(uri, "parclass:", 9))
		return -1;
	p = uri + 9;
	while (*p == '/' && slashes < 3)
		p++, slashes++;
	if (strncasecmp(p, "lpt", 3))
		return -1;
	p += 3;
	if (!isdigit((unsigned char)*p) || *p == '0')
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > 4096)
			return -1;
	}
	if (*p == '.') {
		p++;
		/* One digit: no leading zero, nothing above the chain's. */
		if (*p < '0' || *p > '0' + PCB_DAISY_MAX)
			return -1;
		m = *p++ - '0';
	}
	if (*p)
		return -1;
	*port = (uint32_t)(n - 1);
	*daisy = m;
	return 0;
}

int pcb_id_field(const char *id, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	const char *p = id, *end, *colon, *k, *v;
	size_t len;

	out[0] = '\0';
	if (!id)
		return 0;
	while (*p) {
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon) {
			k = p;
			while (k < colon && isspace((unsigned char)*k))
				k++;
			len = (size_t)(colon - k);
			while (len && isspace((unsigned char)k[len - 1]))
				len--;
			if (len == klen && !strncasecmp(k, key, klen)) {
				v = colon + 1;
				while (v < end && isspace((unsigned char)*v))
					v++;
				len = (size_t)(end - v);
				while (len && isspace((unsigned char)v[len - 1]))
					len--;
				if (!len)
					return 0;
				if (len >= size)
					len = size - 1;
				memcpy(out, v, len);
				out[len] = '\0';
				return 1;
			}
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

void pcb_make_model(const char *id, char *out, size_t size)
{
	char mfg[128], mdl[128];
	int has_mfg, has_mdl;

	has_mfg = pcb_id_field(id, "MFG", mfg, sizeof(mfg)) ||
		  pcb_id_field(id, "MANUFACTURER", mfg, sizeof(mfg));
	has_mdl = pcb_id_field(id, "MDL", mdl, sizeof(mdl)) ||
		  pcb_id_field(id, "MODEL", mdl, sizeof(mdl));
	if (has_mfg && has_mdl && strncasecmp(mdl, mfg, strlen(mfg)))
		snprintf(out, size, "%s %s", mfg, mdl);
	else if (has_mdl)
		snprintf(out, size, "%s", mdl);
	else if (has_mfg)
		snprintf(out, size, "%s", mfg);
	else
		snprintf(out, size, "Unknown");
}

void pcb_quote(const char *in, char *out, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	for (; *in && n + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '"')
			c = '\'';
		else if (c == '\\')
			c = '/';
		else if (c < 0x20 || c == 0x7f)
			c = ' ';
		out[n++] = (char)c;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

unsigned int pcb_reasons(uint8_t status, uint8_t raw)
{
	unsigned int r = 0;

	if (status & PARCLASS_PARALLEL_PAPER_EMPTY)
		r |= PCB_REASON_MEDIA_EMPTY;
	if ((status & (PARCLASS_PARALLEL_POWER_OFF | PARCLASS_PARALLEL_OFF_LINE |
		       PARCLASS_PARALLEL_NOT_CONNECTED)) ||
	    !(status & PARCLASS_PARALLEL_SELECTED))
		r |= PCB_REASON_OFFLINE;
	if (!r && !(raw & 0x08))
		r |= PCB_REASON_OTHER;
	return r;
}

const char *pcb_reason_name(unsigned int bit)
{
	switch (bit) {
	case PCB_REASON_MEDIA_EMPTY:
		return "media-empty-error";
	case PCB_REASON_OFFLINE:
		return "offline-report";
	case PCB_REASON_OTHER:
		return "other";
	}
	return NULL;
}

int pcb_sc_parse(const unsigned char *msg, size_t len, unsigned int *command,
		 size_t *datalen)
{
	size_t n;

	*command = len ? msg[0] : 0;
	if (len < PCB_SC_HEADER)
		return -1;
	n = ((size_t)msg[2] << 8) | msg[3];
	if (n > len - PCB_SC_HEADER || msg[0] < PCB_SC_CMD_SOFT_RESET ||
	    msg[0] >= PCB_SC_CMD_MAX)
		return -1;
	*datalen = n;
	return 0;
}

bool pcb_sc_needs_port(unsigned int command)
{
	switch (command) {
	case PCB_SC_CMD_SOFT_RESET:
	case PCB_SC_CMD_DRAIN_OUTPUT:
	case PCB_SC_CMD_GET_DEVICE_ID:
	case PCB_SC_CMD_GET_STATE:
		return true;
	}
	return false;
}

size_t pcb_sc_reply(unsigned char *out, unsigned int command,
		    unsigned int status, const void *data, size_t len)
{
	if (len > PCB_SC_MAX_DATA)
		len = PCB_SC_MAX_DATA;
	out[0] = (unsigned char)command;
	out[1] = (unsigned char)status;
	out[2] = (unsigned char)(len >> 8);
	out[3] = (unsigned char)len;
	if (len)
		memcpy(out + PCB_SC_HEADER, data, len);
	return PCB_SC_HEADER + len;
}

unsigned int pcb_sc_state(uint8_t status, uint8_t raw)
{
	unsigned int reasons = pcb_reasons(status, raw), state;

	state = reasons & PCB_REASON_OFFLINE ? PCB_SC_STATE_OFFLINE :
					       PCB_SC_STATE_ONLINE;
	if (status & PARCLASS_PARALLEL_BUSY)
		state |= PCB_SC_STATE_BUSY;
	if (reasons & PCB_REASON_MEDIA_EMPTY)
		state |= PCB_SC_STATE_MEDIA_EMPTY;
	if (reasons & PCB_REASON_OTHER)
		state |= PCB_SC_STATE_ERROR;
	return state;
}
