import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/index.js';
import { summarizeError } from '../../src/security/redactSecrets.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLXZhbHVl';

describe('redactSecrets', () => {
  it.each([
    [`GET https://x.supabase.co/rest/v1/contacts?select=*&apikey=${JWT}`, 'apikey=[redacted]'],
    [`Authorization: Bearer ${JWT}`, 'Authorization: [redacted]'],
    [`request failed with Bearer abc.def-ghi`, 'Bearer [redacted]'],
    [`{"apikey":"sb_secret_abcDEF123"}`, '"apikey":"[redacted]"'],
    [`key sb_publishable_XYZ_123 rejected`, 'key [redacted] rejected'],
    [`token ${JWT} expired`, 'token [redacted] expired'],
    ['https://api.example.com/?access_token=s3cr3t&x=1', 'access_token=[redacted]&x=1'],
  ])('removes the secret from %s', (input, expected) => {
    const output = redactSecrets(input);
    expect(output).toContain(expected);
    expect(output).not.toMatch(/eyJhbGci|sb_secret_abc|sb_publishable_XYZ|s3cr3t|abc\.def-ghi/);
  });

  it.each([
    ['an OAuth client_secret in a query', 'POST /oauth/token?grant_type=client_credentials&client_secret=Zq9secretValue&x=1', 'client_secret=[redacted]&x=1'],
    ['an OAuth client_secret in a form body', 'grant_type=client_credentials&CLIENT_SECRET=Zq9secretValue', 'CLIENT_SECRET=[redacted]'],
    ['an OAuth client_secret in JSON', '{"client_id":"app","client_secret":"Zq9secretValue"}', '"client_secret":"[redacted]"'],
    ['an AWS session token header', 'X-Amz-Security-Token: Zq9secretValue', 'X-Amz-Security-Token: [redacted]'],
    ['an AWS session token in a presigned URL', 'GET https://b.s3.amazonaws.com/f?X-Amz-Security-Token=Zq9secretValue&X-Amz-Date=1', 'X-Amz-Security-Token=[redacted]&X-Amz-Date=1'],
    ['an AWS session token in JSON headers', '{"x-amz-security-token": "Zq9secretValue"}', '"x-amz-security-token": "[redacted]"'],
    ['a GitLab PRIVATE-TOKEN header', 'PRIVATE-TOKEN: Zq9secretValue', 'PRIVATE-TOKEN: [redacted]'],
    ['a GitLab private_token in a query', 'GET /api/v4/projects?private_token=Zq9secretValue', 'private_token=[redacted]'],
    ['a GitLab private-token in JSON, in another case', "{'Private-Token': 'Zq9secretValue'}", "'Private-Token': '[redacted]'"],
  ])('removes %s', (_label, input, expected) => {
    const output = redactSecrets(input);
    expect(output).toContain(expected);
    expect(output).not.toContain('Zq9secretValue');
  });

  it('leaves ordinary text alone', () => {
    const text = 'duplicate key value violates unique constraint "contacts_email_key" (status 409)';
    expect(redactSecrets(text)).toBe(text);
  });

  it('summarises an error without its headers or request', () => {
    const error = Object.assign(new Error(`POST /rest/v1/contacts?apikey=${JWT} answered 429`), {
      status: 429,
      code: '429',
      headers: { authorization: `Bearer ${JWT}` },
    });
    const summary = summarizeError(error);
    expect(summary).toEqual({ name: 'Error', message: 'POST /rest/v1/contacts?apikey=[redacted] answered 429', status: 429, code: '429' });
    expect(JSON.stringify(summary)).not.toContain('eyJ');
    expect(summarizeError('plain string')).toEqual({ name: 'string', message: 'plain string' });
  });
});
