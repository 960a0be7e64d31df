/**
 * Keeps secrets out of every message. A Redactor knows the secrets of a run
 * (the token, and the forms it travels in) and blanks them wherever they
 * appear, including in server responses that echo what they were sent.
 */
export class Redactor {
  private readonly secrets: string[] = [];

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    const forms = [secret, encodeURIComponent(secret), Buffer.from(`__token__:${secret}`).toString('base64')];
    for (const form of forms) if (!this.secrets.includes(form)) this.secrets.push(form);
    // Longest first, so a secret containing another is blanked whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** Adds the Basic-auth form for a username other than __token__. */
  addBasic(username: string, secret: string): void {
    this.add(secret);
    const basic = Buffer.from(`${username}:${secret}`).toString('base64');
    if (!this.secrets.includes(basic)) this.secrets.push(basic);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }
}
