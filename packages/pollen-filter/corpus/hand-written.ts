// Hand-written log lines with their labels: shapes the generator does not produce (mixed values,
// odd spacing, escapes, values at line edges), each value marked with its type by hand.
import type { Part } from './generate.ts';

const P = (type: string, value: string): Part => ({ type, value });
const N = (negative: string, value: string): Part => ({ negative, value });

export const HAND_WRITTEN: Part[][] = [
  [P('email', 'ops-oncall@hive-labs.dev'), ' paged: disk 91% on node-3'],
  ['Mar  9 14:02:11 bee-host sshd[2211]: Accepted publickey for deploy from ', P('ipv4', '198.51.100.23'), ' port 52144 ssh2'],
  ['{"level":"error","err":{"message":"duplicate key value violates unique constraint \\"users_email_key\\"","detail":"Key (email)=(', P('email', 'Priya.Haddad@Example.com'), ') already exists."}}'],
  ['stripe webhook: charge.succeeded card=', P('card', '5555555555554444'), ' last4 should only be 4444'],
  ['refund to ', P('iban', 'GB82 WEST 1234 5698 7654 32'), ' failed; checked ', N('bad_iban', 'GB82 WEST 1234 5698 7654 33'), ' too'],
  ['kyc: applicant ', P('ssn', '078-05-1121'), ' vs test value ', N('bad_ssn', '987-65-4321')],
  ['GET /callback?code=abc&state=xyz&id_token=', P('jwt', 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjFlOWdkazcifQ.eyJpc3MiOiJodHRwOi8vc2VydmVyLmV4YW1wbGUuY29tIiwic3ViIjoiMjQ4Mjg5NzYxMDAxIn0.NTibBYW_ZoNHGm4ZrWCqYA'), ' HTTP/1.1 302'],
  ['redis reconnect rediss://', P('url_credentials', 'default:Xk29vLq0pZ'), '@redis-primary.cache.svc:6380 attempt=3'],
  ['AWS_ACCESS_KEY_ID=', P('aws_access_key', 'AKIAIOSFODNN7EXAMPLE'), ' AWS_SECRET_ACCESS_KEY=', P('aws_secret_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')],
  ['npm ERR! 401 Unauthorized - token ', P('github_token', 'ghp_R2d2C3poBB8xWing00Falcon11Tie22Yoda'), ' lacks scope'],
  ['posted to #alerts with ', P('slack_token', 'xoxb-263594206564-2343705015426-FqcEqIxvcnYNZQwHb1DyDnxD')],
  ['vault: token ', P('vault_token', 's.Wq1ZxAE7bXh9kM3pR2tY8nLd'), ' expired; renew with role sting-app'],
  ['  -H \'Authorization: Bearer ', P('bearer_token', 'mF_9.B5f-4.1JqM'), '\' \\'],
  ['login failed for ', P('email', 'kofi@acme.io'), ' password=', P('secret', 'correct-horse-battery-staple'), ' attempts=3'],
  ['Set-Cookie: ', P('secret', '__Host-sid=8f1c2e; Path=/; Secure; HttpOnly; SameSite=Lax')],
  ['call center note: customer called from ', P('phone', '+1 (212) 555-0147'), ', callback ', P('phone', '212.555.0198')],
  ['geo lookup ', P('ipv6', '2001:db8:3c4d:15::1a2f:1a2b'), ' -> DE; loopback ', N('localhost', '::1'), ' ignored'],
  ['mobile ', P('phone', '+447700900461'), ' verified at ', N('timestamp', '2024-03-09 14:02:11'), ' build ', N('version', 'v2.14.1')],
  ['payload hash ', N('hash', '9fceb02d0ae598e95dc970b74767f19372d61af8'), ' from ', N('localhost', 'localhost:3000'), ' ok'],
  ['order ', N('order_number', '4111111111111112'), ' total $42.10 and ', N('order_number', '1234 5678 9012 3456')],
  ['config: ', N('other', 'max_tokens=2048'), ' ', N('other', 'temperature=0.2'), ' model=llama3.1:8b ', N('version', '0.3.12')],
  ['{"user":{"id":"', N('uuid', '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'), '","phone":"', P('phone', '030 12345678'), '"}}'],
  ['sending statement ', P('iban', 'FR1420041010050500013M02606'), ' to ', P('email', 'ines.silva@proton.me')],
  ['upstream ', N('other', '10.300.1.4'), ' invalid, fell back to ', P('ipv4', '100.64.12.7')],
  ['[auth] token=', P('jwt', 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoiYm9iIn0.K8j0m_GMGB8b3C4Uy4P0gaC0ydY0WX2XyOeBLXabS6E'), '; scope=read'],
  ['-----BEGIN CERTIFICATE----- is public, but ', P('private_key', '-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5fOf4c0vN6dVfoAoGCCqGSM49\\n-----END EC PRIVATE KEY-----'), ' is not'],
  ['retry DATABASE_URL=mysql://', P('url_credentials', 'root:p4ss!w0rd'), '@127.0.0.1:3306/sting'],
  ['ssn on file: ', N('bad_ssn', '000-12-3456'), ' (rejected) then ', P('ssn', '219-09-9999')],
  ['"stripe":{"secret_key":"', P('stripe_key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'), '"}'],
  ['webhook signature mismatch; X-Api-Key: ', P('secret', 'k7Zq-88aa-Plm0'), ' from ', P('ipv4', '203.0.113.77')],
  // Values glued to the text around them, or spelled as a URL or a locale would.
  ['DELETE /api/v1/documents/', P('email', 'olga.private%40example.org'), '-x?ref=order-', P('card', '4111111111111111'), ' 404'],
  ['audit target=id=YMARK3 ', P('email', 'kim.private@example.org'), '-x,userId=id_', P('card', '5555555555554444'), ' actor=', N('other', 'api_key:1cee3d8a-2046-46bd-8d3c-f68f84f1d4fa')],
  ['card on file ', P('card', '4111\u00a01111\u00a01111\u00a01111'), ' (was ', P('card', '4111.1111.1111.1111'), ') receipt to ', P('email', 'kim.private@example.org'), '.', P('card', '378282246310005')],
  ['span ', N('hash', 'e301581467002122'), ' rate=', N('other', 'v0.4111111111111111'), ' dep ', N('version', 'pkg@1.0.rc1'), ' iban? ', N('bad_iban', 'CH4343413289512812520')],
];
