// The built-in detectors in one list, and the priority that decides which type names a span when
// two detectors claim the same text (the more specific detector wins).
import type { Detector } from '../types.ts';
import { cardDetector } from './card.ts';
import { emailDetector } from './email.ts';
import { ibanDetector } from './iban.ts';
import { ipv4Detector, ipv6Detector } from './ip.ts';
import { jwtDetector } from './jwt.ts';
import { keyNameDetector } from './key-names.ts';
import { pemDetector } from './pem.ts';
import { phoneDetector } from './phone.ts';
import { serviceTokenDetector } from './service-tokens.ts';
import { ssnDetector } from './ssn.ts';
import { urlCredentialsDetector } from './url-credentials.ts';

export const BUILT_IN_DETECTORS: readonly Detector[] = [
  pemDetector,
  jwtDetector,
  serviceTokenDetector,
  urlCredentialsDetector,
  keyNameDetector,
  emailDetector,
  cardDetector,
  ibanDetector,
  ssnDetector,
  phoneDetector,
  ipv4Detector,
  ipv6Detector,
];

const PRIORITY: Record<string, number> = {
  known_secret: 100,
  private_key: 95,
  jwt: 90,
  aws_access_key: 85,
  github_token: 85,
  slack_token: 85,
  stripe_key: 85,
  vault_token: 85,
  model_api_key: 85,
  sting_api_key: 85,
  url_credentials: 80,
  aws_secret_key: 75,
  bearer_token: 70,
  card: 60,
  iban: 60,
  ssn: 55,
  email: 50,
  phone: 40,
  ipv6: 35,
  ipv4: 30,
  secret: 20,
};

/** Custom patterns rank between service tokens and personal data: config names them on purpose. */
const CUSTOM_PRIORITY = 78;

export function priorityOf(type: string): number {
  return PRIORITY[type] ?? CUSTOM_PRIORITY;
}
