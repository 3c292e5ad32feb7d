// The browser build of Alloy's frontend SDK for the hub's /demo page.
// The npm package (alloy-frontend, CommonJS) exports a factory; Alloy's script-tag build exposes an instance as
// window.Alloy, so the page code reads the same as Alloy's documentation: Alloy.setToken(...), Alloy.install(...).
const createAlloy = require("alloy-frontend");
const { version } = require("alloy-frontend/package.json");

window.Alloy = createAlloy();
window.AlloyFrontend = { version, create: createAlloy };
