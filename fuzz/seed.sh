#!/bin/sh
# Seed each fuzz target's corpus with the sample files of its format (real fixtures from
# ../shared/fixtures/real when present, and the synthetic ones in tests/fixtures).
set -e
cd "$(dirname "$0")"
real=../../shared/fixtures/real
syn=../tests/fixtures/synthetic
seed() { # target files...
  t=$1; shift
  mkdir -p "corpus/$t"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "corpus/$t/$(basename "$f")"; done
  return 0
}
seed webvtt $real/vtt-zoom/*.vtt $real/vtt-zoom-cc/*.vtt $syn/teams-meeting.vtt
seed srt $real/srt/*.srt
seed teams_txt $real/teams-txt/*.txt
seed zoom_chat $real/zoom-chat/*.txt
seed aws_transcribe $real/aws-transcribe/*.json $syn/transcribe-*.json
seed aws_call_analytics $real/aws-transcribe-call-analytics/*.json
seed contact_lens $syn/contact-lens-voice.json
seed whisper $real/whisper/*.json
seed whisperx $real/whisperx/*.json
seed deepgram $real/deepgram/*.json
seed assemblyai $real/assemblyai/*.json
seed ccai $syn/ccai-conversation.json
seed plain ../examples/*.txt
seed detect $real/*/* $syn/* ../examples/*.txt
rm -f corpus/detect/SOURCES.md
echo "seeded: $(ls corpus | tr '\n' ' ')"
