import { image, optionalObjectName, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const BITRATE = '^[0-9]+(k|M)$';
const URL = '^$|^(rtmps?|rtsp|srt|udp|https?)://\\S+$';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    image: image('jrottenberg/ffmpeg:7.1-ubuntu'),
    videoSource: { type: 'string', pattern: URL, default: '', description: 'URL of the video stream (its audio is dropped)' },
    audioSource: { type: 'string', pattern: URL, default: '', description: 'URL of the audio stream mixed in' },
    rtmpUrl: { type: 'string', pattern: '^$|^rtmps?://\\S+$', default: '', description: 'where to push the result; prefer rtmpUrlSecret when the URL holds a stream key' },
    rtmpUrlSecret: optionalObjectName('a Secret whose key "url" holds the RTMP URL; wins over rtmpUrl'),
    videoBitrate: { type: 'string', pattern: BITRATE, default: '4500k' },
    audioBitrate: { type: 'string', pattern: BITRATE, default: '160k' },
    preset: { enum: ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'], default: 'veryfast', description: 'x264 speed/quality trade-off' },
    resources: resources({ cpu: '1', memory: '256Mi' }, { cpu: '2', memory: '1Gi' }),
  },
  // the defaults are empty: a mixer needs its two sources and a destination
  allOf: [
    { properties: { videoSource: { minLength: 1 }, audioSource: { minLength: 1 } } },
    // written as if/then (not anyOf) so the error points at rtmpUrl
    { if: { properties: { rtmpUrlSecret: { const: '' } } }, then: { properties: { rtmpUrl: { minLength: 1 } } } },
  ],
};

// The URL from a Secret reaches the arguments through $(RTMP_URL): Kubernetes
// expands it from the container's environment, so it never sits in the spec.
const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: stream-mixer}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector:
    matchLabels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  template:
    metadata:
      labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: stream-mixer}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: ffmpeg
          image: \${values.image}
          command: [ffmpeg]
          args:
            - -hide_banner
            - -loglevel
            - warning
            - -i
            - \${values.videoSource}
            - -i
            - \${values.audioSource}
            - -map
            - '0:v:0'
            - -map
            - '1:a:0'
            - -c:v
            - libx264
            - -preset
            - \${values.preset}
            - -b:v
            - \${values.videoBitrate}
            - -maxrate
            - \${values.videoBitrate}
            - -bufsize
            - \${values.videoBitrate}
            - -g
            - '60'
            - -c:a
            - aac
            - -b:a
            - \${values.audioBitrate}
            - -ar
            - '44100'
            - -shortest
            - -f
            - flv
            - {$if: 'values.rtmpUrlSecret != ""', then: '$(RTMP_URL)', else: '\${values.rtmpUrl}'}
          env:
            $if: 'values.rtmpUrlSecret != ""'
            then:
              - name: RTMP_URL
                valueFrom: {secretKeyRef: {name: '\${values.rtmpUrlSecret}', key: url}}
            else: []
          resources: {$eval: values.resources}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
`;

export const streamMixer: CatalogTemplate = {
  name: 'stream-mixer',
  description: 'ffmpeg mixing an audio stream into a video stream and pushing the result to an RTMP server.',
  category: 'media',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
