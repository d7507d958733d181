/**
 * The one place that loads @peculiar/x509 (it needs `reflect-metadata` evaluated before it: its
 * ASN.1 schemas use decorators). pki/ uses it to read certificates only, which needs no crypto
 * provider. Every other file of pki/ imports `x509` from here, never '@peculiar/x509' directly.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export { x509 };
