// Unit tests of the helper's logic with a fake fetch (the hub's answers) and a fake Alloy SDK; no network, no browser.
// The browser tests with the real alloy-frontend against the hub and the sandbox are in tests/EndToEnd.Tests.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import {
  connectIntegration, getModalToken, listIntegrations, parseRetryAfter, IntegrationHubError, STATES,
} from "../index.js";

const HUB = "https://hub.example/";
const TENANT = "acme corp";
const SLACK = "65f1a0c2e4b0a1b2c3d4e503";
const TOKEN_PATH = "/api/tenants/acme%20corp/alloy-token";
const REFRESH_PATH = "/api/tenants/acme%20corp/installations/refresh";

const slackInstallation = {
  installationId: "inst-2", integrationId: SLACK, integrationName: "Slack", enabled: true,
  installedAt: "2026-11-29T10:00:00Z", firstSeenAt: "2026-11-29T10:00:01Z", lastSyncedAt: "2026-11-29T10:00:01Z", removedAt: null,
};
const removedSlack = { ...slackInstallation, installationId: "inst-1", installedAt: "2026-11-01T10:00:00Z", removedAt: "2026-11-02T10:00:00Z" };
const shopify = { ...slackInstallation, installationId: "inst-3", integrationId: "shopify-id", integrationName: "Shopify" };

function json(status, body, headers = {}) {
  const contentType = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType, ...headers } });
}

function problem(status, slug, title, detail, retryAfter) {
  return json(status, { type: `/problems/${slug}`, title, status, detail, traceId: "00-trace" }, retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) });
}

const tokenAnswer = () => json(200, { token: "modal-jwt", expiresAt: "2026-11-29T10:10:00Z", userId: "alloy-user-1" });

/** A fake fetch answering each METHOD path from a queue of answers (functions returning a Response). */
function fakeHub(routes) {
  const calls = [];
  const fetch = async (url, init) => {
    const path = new URL(url).pathname;
    calls.push({ url, path, method: init.method, authorization: init.headers.Authorization, signal: init.signal });
    if (init.signal && init.signal.aborted) { throw init.signal.reason; }
    const queue = routes[`${init.method} ${path}`];
    if (!queue || queue.length === 0) { throw new Error(`unexpected ${init.method} ${path}`); }
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    return answer();
  };
  return { fetch, calls, count: (method, path) => calls.filter((c) => c.method === method && c.path === path).length };
}

/** A fake of alloy-frontend's instance: records setToken/install; the test plays the modal through `callback`. */
function fakeSdk() {
  const sdk = {
    tokens: [],
    installs: [],
    setToken(token) { sdk.tokens.push(token); },
    install(params) { sdk.installs.push(params); sdk.opened(params); },
    opened: () => {},
  };
  sdk.whenOpened = () => new Promise((resolve) => { sdk.opened = resolve; });
  return sdk;
}

function options(hub, sdk, extra = {}) {
  const statuses = [];
  let tokenRequests = 0;
  return {
    statuses,
    get tokenRequests() { return tokenRequests; },
    value: {
      hubUrl: HUB,
      tenantId: TENANT,
      integrationId: SLACK,
      getAccessToken: async () => { tokenRequests++; return `member-jwt-${tokenRequests}`; },
      onStatus: (status) => statuses.push(status),
      alloy: sdk,
      fetch: hub.fetch,
      ...extra,
    },
  };
}

/** Lets pending promise continuations run (no timers involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("connectIntegration: token, setToken, install, one refresh on Alloy's double success, resolves with the recorded installation", async () => {
  // Arrange
  const hub = fakeHub({
    [`POST ${TOKEN_PATH}`]: [tokenAnswer],
    [`POST ${REFRESH_PATH}`]: [() => json(200, { items: [removedSlack, slackInstallation, shopify] })],
  });
  const sdk = fakeSdk();
  const opened = sdk.whenOpened();
  const sdkCallbacks = [];
  const run = options(hub, sdk, { installOptions: { title: "Connect Slack" }, onSdkCallback: (r) => sdkCallbacks.push(r) });

  // Act
  const connecting = connectIntegration(run.value);
  const params = await opened;
  params.callback({ success: true }); // workflowCreated
  params.callback({ success: true }); // closeModal
  const installation = await connecting;
  await settle();

  // Assert
  assert.deepEqual(installation, slackInstallation);
  assert.deepEqual(sdk.tokens, ["modal-jwt"]);
  assert.equal(sdk.installs.length, 1);
  assert.equal(params.integrationId, SLACK);
  assert.equal(params.title, "Connect Slack");
  assert.deepEqual(sdkCallbacks, [{ success: true }, { success: true }]);
  assert.equal(hub.count("POST", REFRESH_PATH), 1);
  assert.deepEqual(run.statuses.map((s) => s.state), ["requesting-token", "installing", "refreshing", "done"]);
  assert.equal(run.statuses[3].installation, installation);
  assert.equal(run.statuses[3].installations.length, 3);
  assert.equal(hub.calls[0].url, "https://hub.example" + TOKEN_PATH);
  assert.deepEqual(hub.calls.map((c) => c.authorization), ["Bearer member-jwt-1", "Bearer member-jwt-2"]);
  assert.deepEqual(STATES, ["requesting-token", "provisioning-pending", "installing", "refreshing", "done"]);
});

test("connectIntegration: 503 provisioning-pending waits the hub's Retry-After, reports it, then asks again", async (t) => {
  // Arrange
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const hub = fakeHub({
    [`POST ${TOKEN_PATH}`]: [() => problem(503, "provisioning-pending", "Provisioning pending", "Still being created.", 3), tokenAnswer],
    [`POST ${REFRESH_PATH}`]: [() => json(200, { items: [slackInstallation] })],
  });
  const sdk = fakeSdk();
  const opened = sdk.whenOpened();
  let pendingReported;
  const pending = new Promise((resolve) => { pendingReported = resolve; });
  const run = options(hub, sdk);
  const onStatus = run.value.onStatus;
  run.value.onStatus = (status) => { onStatus(status); if (status.state === "provisioning-pending") { pendingReported(); } };

  // Act
  const connecting = connectIntegration(run.value);
  await pending;
  t.mock.timers.tick(2999);
  await settle();
  const requestsBeforeRetryAfter = hub.count("POST", TOKEN_PATH);
  t.mock.timers.tick(1);
  (await opened).callback({ success: true });
  const installation = await connecting;

  // Assert
  assert.equal(requestsBeforeRetryAfter, 1);
  assert.equal(hub.count("POST", TOKEN_PATH), 2);
  assert.equal(installation.installationId, "inst-2");
  assert.deepEqual(run.statuses.map((s) => s.state), ["requesting-token", "provisioning-pending", "requesting-token", "installing", "refreshing", "done"]);
  assert.deepEqual(run.statuses[1], { state: "provisioning-pending", retryAfterSeconds: 3 });
});

test("connectIntegration: the wait for provisioning is bounded; past it the provisioning-pending error is thrown", async (t) => {
  // Arrange
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [() => problem(503, "provisioning-pending", "Provisioning pending", "Still being created.", 3)] });
  const sdk = fakeSdk();
  const run = options(hub, sdk, { maxProvisioningWaitSeconds: 5 });
  const waits = [];
  run.value.onStatus = (status) => { run.statuses.push(status); if (status.state === "provisioning-pending") { waits.push(status); } };

  // Act: 3 s, then the 2 s left of the budget, then the third answer is final.
  const connecting = connectIntegration(run.value);
  const outcome = connecting.then(() => null, (error) => error);
  while (waits.length < 2) { await settle(); t.mock.timers.tick(1000); }
  t.mock.timers.tick(2000);
  const error = await outcome;

  // Assert
  assert.ok(error instanceof IntegrationHubError);
  assert.equal(error.type, "provisioning-pending");
  assert.equal(error.status, 503);
  assert.equal(error.title, "Provisioning pending");
  assert.equal(error.detail, "Still being created.");
  assert.equal(error.retryAfterSeconds, 3);
  assert.equal(error.traceId, "00-trace");
  assert.equal(hub.count("POST", TOKEN_PATH), 3);
  assert.deepEqual(waits.map((s) => s.retryAfterSeconds), [3, 2]);
  assert.equal(sdk.installs.length, 0);
});

test("getModalToken: a Retry-After of 0 (or none) still waits a second, so the budget is spent and the wait ends", async (t) => {
  // Arrange
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const pendingNow = () => problem(503, "provisioning-pending", "Provisioning pending", "Still being created.", 0);
  const pendingNoHeader = () => problem(503, "provisioning-pending", "Provisioning pending", "Still being created.");
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [pendingNow, pendingNoHeader, tokenAnswer] });
  const statuses = [];
  let reported;
  let next = new Promise((resolve) => { reported = resolve; });
  const onStatus = (status) => { statuses.push(status); if (status.state === "provisioning-pending") { reported(); } };

  // Act
  const issuing = getModalToken({ hubUrl: HUB, tenantId: TENANT, getAccessToken: () => "member-jwt", fetch: hub.fetch, onStatus, maxProvisioningWaitSeconds: 10 });
  await next;
  next = new Promise((resolve) => { reported = resolve; });
  t.mock.timers.tick(999);
  await settle();
  const beforeASecond = hub.count("POST", TOKEN_PATH);
  t.mock.timers.tick(1);
  await next;
  t.mock.timers.tick(2000);
  const issued = await issuing;

  // Assert
  assert.equal(beforeASecond, 1);
  assert.equal(issued.token, "modal-jwt");
  assert.deepEqual(statuses.filter((s) => s.state === "provisioning-pending").map((s) => s.retryAfterSeconds), [1, 2]);
  assert.equal(hub.count("POST", TOKEN_PATH), 3);
});

test("connectIntegration: aborting while waiting for provisioning rejects with an AbortError and asks no more", async (t) => {
  // Arrange
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [() => problem(503, "provisioning-pending", "Provisioning pending", "Still being created.", 2)] });
  const controller = new AbortController();
  const run = options(hub, fakeSdk(), { signal: controller.signal });
  run.value.onStatus = (status) => { if (status.state === "provisioning-pending") { controller.abort(); } };

  // Act
  const error = await connectIntegration(run.value).then(() => null, (e) => e);
  t.mock.timers.tick(10_000);
  await settle();

  // Assert
  assert.equal(error.name, "AbortError");
  assert.equal(hub.count("POST", TOKEN_PATH), 1);
});

test("connectIntegration: aborting while the modal is open rejects with an AbortError; a later success refreshes nothing", async () => {
  // Arrange
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [tokenAnswer], [`POST ${REFRESH_PATH}`]: [() => json(200, { items: [slackInstallation] })] });
  const sdk = fakeSdk();
  const opened = sdk.whenOpened();
  const controller = new AbortController();
  const run = options(hub, sdk, { signal: controller.signal });

  // Act
  const connecting = connectIntegration(run.value);
  const params = await opened;
  controller.abort();
  const error = await connecting.then(() => null, (e) => e);
  params.callback({ success: true });
  await settle();

  // Assert
  assert.equal(error.name, "AbortError");
  assert.equal(hub.count("POST", REFRESH_PATH), 0);
  assert.deepEqual(run.statuses.map((s) => s.state), ["requesting-token", "installing"]);
});

test("connectIntegration: an already aborted signal rejects with an AbortError before any request", async () => {
  // Arrange
  const hub = fakeHub({});
  const controller = new AbortController();
  controller.abort();
  const run = options(hub, fakeSdk(), { signal: controller.signal });

  // Act
  const error = await connectIntegration(run.value).then(() => null, (e) => e);

  // Assert
  assert.equal(error.name, "AbortError");
  assert.equal(hub.calls.length, 0);
  assert.equal(run.tokenRequests, 0);
});

test("connectIntegration: the member closing the modal rejects with modal-closed and refreshes nothing", async () => {
  // Arrange
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [tokenAnswer] });
  const sdk = fakeSdk();
  const opened = sdk.whenOpened();
  const run = options(hub, sdk);

  // Act
  const connecting = connectIntegration(run.value);
  (await opened).callback({ success: false });
  const error = await connecting.then(() => null, (e) => e);

  // Assert
  assert.ok(error instanceof IntegrationHubError);
  assert.equal(error.type, "modal-closed");
  assert.equal(error.status, 0);
  assert.equal(hub.count("POST", REFRESH_PATH), 0);
});

test("connectIntegration: provisioning-failed (409) and alloy-key-rejected (503) are not retried and keep the problem's fields", async () => {
  for (const [answer, type, status, retryAfterSeconds] of [
    [() => problem(409, "provisioning-failed", "Provisioning failed", "Alloy said no."), "provisioning-failed", 409, null],
    [() => problem(503, "alloy-key-rejected", "Alloy API key rejected", "Fix the key.", 30), "alloy-key-rejected", 503, 30],
  ]) {
    // Arrange
    const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [answer] });
    const run = options(hub, fakeSdk());

    // Act
    const error = await connectIntegration(run.value).then(() => null, (e) => e);

    // Assert
    assert.ok(error instanceof IntegrationHubError, type);
    assert.equal(error.type, type);
    assert.equal(error.status, status);
    assert.equal(error.retryAfterSeconds, retryAfterSeconds);
    assert.equal(error.problem.type, `/problems/${type}`);
    assert.equal(hub.count("POST", TOKEN_PATH), 1);
    assert.deepEqual(run.statuses.map((s) => s.state), ["requesting-token"]);
  }
});

test("connectIntegration: a refresh without the integration's installation rejects with installation-not-recorded", async () => {
  // Arrange
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [tokenAnswer], [`POST ${REFRESH_PATH}`]: [() => json(200, { items: [shopify] })] });
  const sdk = fakeSdk();
  const opened = sdk.whenOpened();

  // Act
  const connecting = connectIntegration(options(hub, sdk).value);
  (await opened).callback({ success: true });
  const error = await connecting.then(() => null, (e) => e);

  // Assert
  assert.equal(error.type, "installation-not-recorded");
  assert.equal(hub.count("POST", REFRESH_PATH), 1);
});

test("connectIntegration: a network failure and an SDK that throws become typed errors", async () => {
  // Arrange
  const offline = { fetch: async () => { throw new TypeError("Failed to fetch"); } };
  const throwing = fakeSdk();
  throwing.install = () => { throw new Error("no token set"); };
  const hub = fakeHub({ [`POST ${TOKEN_PATH}`]: [tokenAnswer] });

  // Act
  const network = await connectIntegration(options(offline, fakeSdk()).value).then(() => null, (e) => e);
  const sdkError = await connectIntegration(options(hub, throwing).value).then(() => null, (e) => e);

  // Assert
  assert.equal(network.type, "network-error");
  assert.ok(network.cause instanceof TypeError);
  assert.equal(sdkError.type, "sdk-error");
  assert.match(sdkError.detail, /no token set/);
});

test("connectIntegration: missing arguments are refused before any request", async () => {
  // Arrange
  const hub = fakeHub({});

  // Act
  const noTenant = await connectIntegration({ ...options(hub, fakeSdk()).value, tenantId: "" }).then(() => null, (e) => e);
  const noToken = await connectIntegration({ ...options(hub, fakeSdk()).value, getAccessToken: "jwt" }).then(() => null, (e) => e);

  // Assert
  assert.ok(noTenant instanceof TypeError);
  assert.ok(noToken instanceof TypeError);
  assert.equal(hub.calls.length, 0);
});

test("listIntegrations: GET the tenant's integrations with the member's token; a problem becomes an IntegrationHubError", async () => {
  // Arrange
  const items = [{ integrationId: SLACK, name: "Slack", description: null, icon: null, installed: true, credentials: ["slack"] }];
  const hub = fakeHub({
    "GET /api/tenants/acme%20corp/integrations": [() => json(200, { items })],
    "GET /api/tenants/nobody/integrations": [() => problem(404, "tenant-not-found", "Tenant not found", "No tenant 'nobody'.")],
  });
  const getAccessToken = async () => "member-jwt";

  // Act
  const listed = await listIntegrations({ hubUrl: HUB, tenantId: TENANT, getAccessToken, fetch: hub.fetch });
  const error = await listIntegrations({ hubUrl: HUB, tenantId: "nobody", getAccessToken, fetch: hub.fetch }).then(() => null, (e) => e);

  // Assert
  assert.deepEqual(listed, items);
  assert.equal(hub.calls[0].method, "GET");
  assert.equal(hub.calls[0].authorization, "Bearer member-jwt");
  assert.ok(error instanceof IntegrationHubError);
  assert.equal(error.type, "tenant-not-found");
  assert.equal(error.status, 404);
  assert.equal(error.detail, "No tenant 'nobody'.");
});

test("parseRetryAfter: delta-seconds, an HTTP date, nothing", () => {
  // Arrange
  const now = Date.parse("2026-11-29T10:00:00Z");
  mock.method(Date, "now", () => now);

  // Act
  const values = [parseRetryAfter("7"), parseRetryAfter("Sun, 29 Nov 2026 10:00:05 GMT"), parseRetryAfter(null), parseRetryAfter("soon")];
  mock.restoreAll();

  // Assert
  assert.deepEqual(values, [7, 5, null, null]);
});
