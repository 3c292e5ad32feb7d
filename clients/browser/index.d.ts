// Type declarations of @integrationhub/browser (index.js).

/**
 * The part of Alloy's frontend SDK (`alloy-frontend`, the instance its factory returns or the script build's
 * `window.Alloy`) the helper uses.
 */
export interface AlloySdk {
  /** Stores the Alloy user token for the SDK's next calls. */
  setToken(token: string): void;
  /** Opens Alloy's install modal; `callback` receives only `{ success }`, possibly twice. */
  install(params: AlloyInstallParams): void;
}

/** What `install` passes to the SDK: the caller's `installOptions` plus `integrationId` and the helper's callback. */
export interface AlloyInstallParams extends AlloyInstallOptions {
  integrationId: string;
  callback: (result: AlloyCallbackResult) => void;
}

/** Further options of Alloy's `install` (alloy-frontend 2.1.1); `integrationId` and `callback` are the helper's. */
export interface AlloyInstallOptions {
  /** Always show the credential step, even when the user has credentials already. */
  alwaysShowAuthentication?: boolean;
  /** Open the modal hidden; Alloy shows it when it needs input. */
  hide?: boolean;
  /** Title of the modal. */
  title?: string;
  /** Specific workflow versions to install. */
  versionIds?: string[];
  /** Values filled into the modal's fields. */
  preFilledValues?: Record<string, unknown>;
  /** Overrides of the workflows' output. */
  outputOverride?: Record<string, unknown>;
}

/** The only thing Alloy's install callback carries. */
export interface AlloyCallbackResult {
  success: boolean;
}

/** The hub's modal token (`POST /api/tenants/{tenantId}/alloy-token`). */
export interface ModalToken {
  token: string;
  /** ISO 8601 time. */
  expiresAt: string;
  /** The tenant's Alloy user. */
  userId: string;
}

/** An installation the hub recorded (`/api/tenants/{tenantId}/installations`). */
export interface Installation {
  installationId: string;
  integrationId: string;
  integrationName: string;
  enabled: boolean;
  /** ISO 8601 time, when Alloy says it was installed. */
  installedAt: string | null;
  firstSeenAt: string;
  lastSyncedAt: string;
  /** ISO 8601 time it was removed, or null while installed. */
  removedAt: string | null;
}

/** An integration the tenant may install (`GET /api/tenants/{tenantId}/integrations`). */
export interface Integration {
  integrationId: string;
  name: string;
  description: string | null;
  icon: string | null;
  /** Whether this tenant installed it. */
  installed: boolean;
  /** The apps whose credentials it needs. */
  credentials: string[];
}

/** The states `onStatus` reports, in order (`provisioning-pending`, then `requesting-token` again, may repeat). */
export type ConnectState = "requesting-token" | "provisioning-pending" | "installing" | "refreshing" | "done";

/** What `onStatus` receives, one object per step. */
export type ConnectStatus =
  /** Asking the hub for a modal token. */
  | { state: "requesting-token" }
  /**
   * The tenant's Alloy user is still being created; the helper asks again after `retryAfterSeconds`: the hub's
   * `Retry-After` (at least 1 s), shortened to what is left of `maxProvisioningWaitSeconds`.
   */
  | { state: "provisioning-pending"; retryAfterSeconds: number }
  /** Alloy's modal is open for `integrationId`, with a token for the tenant's Alloy user `userId` until `expiresAt`. */
  | { state: "installing"; integrationId: string; userId: string; expiresAt: string }
  /** Alloy reported success; the hub pulls the tenant's installations from Alloy. */
  | { state: "refreshing" }
  /** Finished: the recorded installation, and every installation the refresh returned. */
  | { state: "done"; installation: Installation; installations: Installation[] };

/** The states, in order: `["requesting-token", "provisioning-pending", "installing", "refreshing", "done"]`. */
export declare const STATES: readonly ConnectState[];

/** The error types the helper raises itself (not answered by the hub); their `status` is 0 (200 for invalid-response). */
export type ClientErrorType = "modal-closed" | "installation-not-recorded" | "network-error" | "invalid-response" | "sdk-error";

/** The hub's problem types a frontend meets on these routes (see `GET /problems/{slug}` on the hub). */
export type HubProblemType =
  | "provisioning-pending"
  | "provisioning-failed"
  | "alloy-key-rejected"
  | "alloy-unavailable"
  | "alloy-rejected"
  | "alloy-not-found"
  | "tenant-not-found"
  | "tenant-offboarded"
  | "rate-limited"
  | "unauthorized"
  | "forbidden"
  | "validation"
  | "internal"
  | "unavailable";

export declare const CLIENT_ERROR_TYPES: Readonly<{
  modalClosed: "modal-closed";
  installationNotRecorded: "installation-not-recorded";
  networkError: "network-error";
  invalidResponse: "invalid-response";
  sdkError: "sdk-error";
}>;

/**
 * An error the hub answered (problem+json) or the helper raised. Cancellation is not one: it rejects with a
 * `DOMException` named `AbortError`.
 */
export declare class IntegrationHubError extends Error {
  constructor(init: {
    type: string;
    status?: number;
    title?: string;
    detail?: string | null;
    retryAfterSeconds?: number | null;
    traceId?: string | null;
    problem?: Record<string, unknown> | null;
    cause?: unknown;
  });
  readonly name: "IntegrationHubError";
  /**
   * The problem type: the last segment of the hub's `type` (`/problems/provisioning-pending` → `provisioning-pending`),
   * `http-<status>` for an answer without problem+json, or one of {@link ClientErrorType}.
   */
  readonly type: HubProblemType | ClientErrorType | (string & {});
  /** The HTTP status; 0 when no answer is involved. */
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  /** The hub's `Retry-After` in seconds, or null. */
  readonly retryAfterSeconds: number | null;
  /** The hub's `traceId`, to quote to its operators. */
  readonly traceId: string | null;
  /** The problem+json body as answered, or null. */
  readonly problem: Record<string, unknown> | null;
}

/** What both functions need to call the hub as the signed-in member. */
export interface HubCallOptions {
  /** The hub's origin, e.g. `https://hub.example.com`; empty or omitted for the page's own origin. */
  hubUrl?: string;
  /** The member's tenant. */
  tenantId: string;
  /** The member's access token (the SaaS's JWT), sent as `Authorization: Bearer`; called before each hub request. */
  getAccessToken: () => string | Promise<string>;
  /** Cancels: pending requests and waits stop and the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** A fetch to use instead of `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Options of {@link getModalToken}. */
export interface GetModalTokenOptions extends HubCallOptions {
  /** Called with `requesting-token` before each request and `provisioning-pending` before each wait. */
  onStatus?: (status: Extract<ConnectStatus, { state: "requesting-token" | "provisioning-pending" }>) => void;
  /**
   * The longest total wait, in seconds, for the tenant's Alloy user while the hub answers `provisioning-pending`
   * (default 60); past it the promise rejects with that `IntegrationHubError`. 0 does not wait.
   */
  maxProvisioningWaitSeconds?: number;
}

export interface ConnectIntegrationOptions extends HubCallOptions {
  /** The Alloy integration to install (an `integrationId` from {@link listIntegrations}). */
  integrationId: string;
  /** Called at each step, in order. */
  onStatus?: (status: ConnectStatus) => void;
  /**
   * The Alloy SDK instance to use (e.g. `window.Alloy` from Alloy's script, or your bundle's own instance). Without it
   * the helper imports the peer dependency `alloy-frontend` and makes one instance per page.
   */
  alloy?: AlloySdk;
  /** More options for Alloy's `install` (title, hide, preFilledValues, ...). */
  installOptions?: AlloyInstallOptions;
  /** Sees every callback of Alloy's SDK as it comes (also the duplicates the helper ignores), e.g. for logging. */
  onSdkCallback?: (result: AlloyCallbackResult) => void;
  /**
   * The longest total wait, in seconds, for the tenant's Alloy user while the hub answers `provisioning-pending`
   * (default 60); past it the promise rejects with that `IntegrationHubError`. 0 does not wait.
   */
  maxProvisioningWaitSeconds?: number;
}

export type ListIntegrationsOptions = HubCallOptions;

/**
 * Connects an integration for the member's tenant: a modal token from the hub (waiting out `provisioning-pending`
 * per `Retry-After`), `alloy.setToken`, `alloy.install`, then one installation refresh on the first success callback.
 *
 * @returns the installation the hub recorded for `integrationId`.
 * @throws {IntegrationHubError} on a hub problem (e.g. `provisioning-failed`, `tenant-offboarded`), when the member
 *   closes the modal without installing (`modal-closed`), or when the refresh does not show the installation
 *   (`installation-not-recorded`).
 * @throws {DOMException} named `AbortError` when `signal` aborts.
 * @throws {TypeError} when a required option is missing.
 *
 * @example
 * const installation = await connectIntegration({
 *   hubUrl: "https://hub.example.com",
 *   tenantId: "acme",
 *   getAccessToken: () => auth.getToken(),
 *   integrationId: "65f1a0c2e4b0a1b2c3d4e503",
 *   onStatus: (s) => console.log(s.state),
 * });
 */
export declare function connectIntegration(options: ConnectIntegrationOptions): Promise<Installation>;

/**
 * A modal token for the member's tenant, waiting out `provisioning-pending` like {@link connectIntegration}: for the
 * SDK's other calls (`alloy.setToken(token)`, then `getIntegrations()`, `edit(...)`, `authenticate(...)`).
 * @throws {IntegrationHubError} on a hub problem (e.g. `provisioning-failed`, `alloy-key-rejected`).
 * @throws {DOMException} named `AbortError` when `signal` aborts.
 */
export declare function getModalToken(options: GetModalTokenOptions): Promise<ModalToken>;

/**
 * The integrations the member's tenant may install, each with `installed`.
 * @throws {IntegrationHubError} on a hub problem (e.g. `provisioning-pending`, `tenant-not-found`).
 * @throws {DOMException} named `AbortError` when `signal` aborts.
 */
export declare function listIntegrations(options: ListIntegrationsOptions): Promise<Integration[]>;

/** A `Retry-After` header value (delta-seconds or an HTTP date) in seconds; null when absent or unreadable. */
export declare function parseRetryAfter(value: string | null | undefined): number | null;
