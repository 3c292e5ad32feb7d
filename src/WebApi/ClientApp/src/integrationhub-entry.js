// The browser build of the hub's own frontend helper (clients/browser, the npm package @integrationhub/browser) for
// the /demo page: exposes window.IntegrationHubBrowser = { connectIntegration, listIntegrations, IntegrationHubError, ... }.
// The page passes the SDK instance (window.Alloy, from alloy-entry.js) as `alloy`, so the helper's fallback import of
// alloy-frontend stays outside this bundle.
import * as helper from "../../../../clients/browser/index.js";
import { version } from "../../../../clients/browser/package.json";

window.IntegrationHubBrowser = Object.assign({ version }, helper);
