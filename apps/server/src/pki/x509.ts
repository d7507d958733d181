/**
 * The one place that loads @peculiar/x509. It needs `reflect-metadata` evaluated before it
 * (its ASN.1 schemas use decorators) and a WebCrypto provider: node's own `webcrypto`, so key
 * generation and signing run on libuv's threadpool, off the event loop.
 *
 * Every other file of pki/ imports `x509` from here, never '@peculiar/x509' directly.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
