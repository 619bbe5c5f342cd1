/** `npm run keygen`: a signing key set for FLEETPLANE_SIGNING_KEY (wrangler secret put). */
import { generatePrivateJwk } from '../auth/signing-keys.js';

console.log(JSON.stringify({ keys: [await generatePrivateJwk()] }));
