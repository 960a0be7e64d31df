/**
 * Page layouts of indexes that are not Warehouse, for specs about telling an
 * index from a page that is not one: pypiserver's welcome page at its root
 * (its listing is at /simple/), devpi's `/<user>/<index>/+simple/`, and a
 * sign-in page such as a proxy in front of an index shows.
 */
import type { Route } from './loopback-server.js';

const html = (body: string): Route => (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);

/** pypiserver 2.x `/`: links to its own listing ("simple") and to its PyPI page ("pypiserver"), words around them. */
export const pypiserverWelcome: Route = html(`<html><head><title>Welcome to pypiserver!</title></head><body>
<h1>Welcome to pypiserver!</h1>
<p>This is a PyPI compatible package index serving 2 packages.</p>
<p> To use this server with <code>pip</code>, run the following command:
<blockquote><pre>pip install --index-url http://localhost:8080/simple/ PACKAGE [PACKAGE2...]</pre></blockquote></p>
<p>The complete list of all packages can be found <a href="/packages/">here</a>
or via the <a href="/simple/">simple</a> index.</p>
<p>This instance is running version 2.1.1 of the <a href="https://pypi.org/project/pypiserver/">pypiserver</a> software.</p>
</body></html>`);

/** pypiserver 2.x `/simple/`. */
export function pypiserverListing(names: readonly string[]): Route {
  return html(`<html><head><meta name="pypi:repository-version" content="1.0"><title>Simple Index</title></head><body>
<h1>Simple Index</h1>
${names.map((n) => `<a href="${n}/">${n}</a><br>`).join('\n')}
</body></html>`);
}

/** devpi `/<user>/<index>/+simple/`. */
export function devpiListing(index: string, names: readonly string[]): Route {
  const title = `${index}: simple list (including inherited indices)`;
  return html(`<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>${title}</title></head><body><h1>${title}</h1>
${names.map((n) => `<a href="${n}/">${n}</a><br/>`).join('\n')}
</body></html>`);
}

/** A sign-in page: navigation links shaped like project entries (`/help/` "help"), and a form. */
export const signInPage: Route = html(`<!DOCTYPE html><html><head><title>Sign in</title></head><body>
<nav><a href="/">home</a> <a href="/help/">help</a> <a href="/login/">login</a></nav>
<form method="post" action="/login/"><label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label><button>Sign in</button></form>
</body></html>`);
