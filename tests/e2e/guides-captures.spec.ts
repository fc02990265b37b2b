/**
 * The HTTP legs on the flow pages (content/captures/*.json) were captured from the sandbox; this
 * runs the same capture against the running sandbox tenant and sample API and checks that nothing
 * but volatile values changed: same legs, methods, paths, parameters, statuses, headers, JSON
 * members and token claims. If it fails, the sandbox changed: re-run `node scripts/capture-legs.ts`.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { captureAuthCodePkce } from '../../scripts/capture/authCodePkce.ts';
import { captureClientCredentials } from '../../scripts/capture/clientCredentials.ts';
import { captureOnBehalfOf } from '../../scripts/capture/onBehalfOf.ts';
import { withDefaultOrigins } from '../../scripts/capture/recorder.ts';
import { captureShape } from '../../scripts/capture/shape.ts';
import { captureWebApp } from '../../scripts/capture/webApp.ts';
import { captureWorkloadIdentity } from '../../scripts/capture/workloadIdentity.ts';
import { loadLabConfig } from '../../src/config/lab.ts';
import { flowCaptureSchema } from '../../src/contracts/captures.ts';

const config = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const committed = (flow: string) => flowCaptureSchema.parse(JSON.parse(readFileSync(`content/captures/${flow}.json`, 'utf8')));
const defaults = loadLabConfig({ LAB_MODE: 'sandbox' });

test('the Authorization Code + PKCE legs on the page are what the sandbox does today (RFC 6749 §4.1, RFC 7636)', async () => {
  const fresh = withDefaultOrigins(await captureAuthCodePkce(config), config, defaults);
  expect(captureShape(fresh)).toEqual(captureShape(committed('auth-code-pkce')));
});

test('the Client Credentials legs on the page are what the sandbox does today (RFC 6749 §4.4, RFC 7523)', async () => {
  const fresh = withDefaultOrigins(await captureClientCredentials(config), config, defaults);
  expect(captureShape(fresh)).toEqual(captureShape(committed('client-credentials')));
});

test('the on-behalf-of legs on the page are what the sandbox does today (RFC 7523 §2.1, Entra on_behalf_of)', async () => {
  const fresh = withDefaultOrigins(await captureOnBehalfOf(config), config, defaults);
  expect(captureShape(fresh)).toEqual(captureShape(committed('on-behalf-of')));
});

test('the web app legs on the page are what the sandbox does today (RFC 6749 §4.1 with a confidential client)', async () => {
  const fresh = withDefaultOrigins(await captureWebApp(config), config, defaults);
  expect(captureShape(fresh)).toEqual(captureShape(committed('web-app')));
});

test('the workload identity federation legs on the page are what the sandbox does today (RFC 7523 §2.2)', async () => {
  const fresh = withDefaultOrigins(await captureWorkloadIdentity(config), config, defaults);
  expect(captureShape(fresh)).toEqual(captureShape(committed('workload-identity')));
});
