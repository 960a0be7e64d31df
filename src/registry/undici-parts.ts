/**
 * The undici files this tool uses, in one module so they load together (one
 * chunk of the CLI's bundle) and only when registry/undici.ts first needs them.
 */
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import request from 'undici/lib/api/api-request.js';
import util from 'undici/lib/core/util.js';

// A dispatcher's request API, as undici's entry module gives it (lib/api/index.js),
// with `request` only: stream, pipeline, upgrade and connect are never used here.
const api = { request };

export { Agent, Dispatcher, api, util };
