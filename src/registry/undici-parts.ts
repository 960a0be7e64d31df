/**
 * The undici files this tool uses, in one module so they load together (one
 * chunk of the CLI's bundle) and only when registry/undici.ts first needs them.
 */
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import util from 'undici/lib/core/util.js';

export { Agent, Dispatcher, api, util };
