// Command ibc-go-vectors prints, one per line as `name=hex`, the bytes that ibc-go's codec
// stores (or computes) for fixed inputs. The hub's Rust tests pin these values
// (modules/ibc/tests/golden.rs) so that its IBC state stays byte-identical to ibc-go.
package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	ics23 "github.com/cosmos/ics23/go"

	packetforward "github.com/cosmos/ibc-apps/middleware/packet-forward-middleware/v8/packetforward"
	transfertypes "github.com/cosmos/ibc-go/v8/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v8/modules/core/02-client/types"
	connectiontypes "github.com/cosmos/ibc-go/v8/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v8/modules/core/04-channel/types"
	commitmenttypes "github.com/cosmos/ibc-go/v8/modules/core/23-commitment/types"
	ibctm "github.com/cosmos/ibc-go/v8/modules/light-clients/07-tendermint"
)

// jmtProofSpec mirrors jmt 0.11 `ics23_spec()` (used by cnidarium): leaf prefix
// LEAF_DOMAIN_SEPARATOR = "JMT::LeafNode", inner prefix length = len(INTERNAL_DOMAIN_SEPARATOR)
// = len("JMT::IntrnalNode") = 16, empty child SPARSE_MERKLE_PLACEHOLDER_HASH.
func jmtProofSpec() *ics23.ProofSpec {
	return &ics23.ProofSpec{
		LeafSpec: &ics23.LeafOp{
			Hash:         ics23.HashOp_SHA256,
			PrehashKey:   ics23.HashOp_SHA256,
			PrehashValue: ics23.HashOp_SHA256,
			Length:       ics23.LengthOp_NO_PREFIX,
			Prefix:       []byte("JMT::LeafNode"),
		},
		InnerSpec: &ics23.InnerSpec{
			ChildOrder:      []int32{0, 1},
			ChildSize:       32,
			MinPrefixLength: 16,
			MaxPrefixLength: 16,
			EmptyChild:      []byte("SPARSE_MERKLE_PLACEHOLDER_HASH__"),
			Hash:            ics23.HashOp_SHA256,
		},
		MinDepth:                   0,
		MaxDepth:                   64,
		PrehashKeyBeforeComparison: true,
	}
}

func emit(name string, b []byte) {
	fmt.Printf("%s=%s\n", name, hex.EncodeToString(b))
}

func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

func repeat(v byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = v
	}
	return b
}

func main() {
	// The codec of an ibc-go app: interfaces registered as in the core and 07-tendermint modules.
	reg := codectypes.NewInterfaceRegistry()
	clienttypes.RegisterInterfaces(reg)
	ibctm.RegisterInterfaces(reg)
	connectiontypes.RegisterInterfaces(reg)
	channeltypes.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)

	spec := jmtProofSpec()
	specBytes, err := spec.Marshal()
	if err != nil {
		panic(err)
	}
	emit("jmt_proof_spec", specBytes)

	// 02-client keeper SetClientState: k.MustMarshalClientState -> cdc.MarshalInterface (Any).
	cs := &ibctm.ClientState{
		ChainId:         "spoke-1",
		TrustLevel:      ibctm.Fraction{Numerator: 1, Denominator: 3},
		TrustingPeriod:  1209600 * time.Second,
		UnbondingPeriod: 1814400 * time.Second,
		MaxClockDrift:   20 * time.Second,
		FrozenHeight:    clienttypes.ZeroHeight(),
		LatestHeight:    clienttypes.NewHeight(1, 42),
		ProofSpecs:      []*ics23.ProofSpec{jmtProofSpec(), jmtProofSpec()},
		UpgradePath:     []string{"upgrade", "upgradedIBCState"},
	}
	emit("client_state_any", clienttypes.MustMarshalClientState(cdc, cs))

	// 02-client keeper SetClientConsensusState: k.MustMarshalConsensusState (Any).
	consState := &ibctm.ConsensusState{
		Timestamp:          time.Unix(1700000000, 0).UTC(),
		Root:               commitmenttypes.NewMerkleRoot(seq(0x01, 32)),
		NextValidatorsHash: repeat(0xaa, 32),
	}
	emit("consensus_state_any", clienttypes.MustMarshalConsensusState(cdc, consState))

	// 03-connection keeper SetConnection: k.cdc.MustMarshal(&connection).
	conn := connectiontypes.NewConnectionEnd(
		connectiontypes.OPEN,
		"07-tendermint-0",
		connectiontypes.NewCounterparty("07-tendermint-1", "connection-2", commitmenttypes.NewMerklePrefix([]byte("ibc"))),
		[]*connectiontypes.Version{connectiontypes.DefaultIBCVersion},
		0,
	)
	emit("connection_end", cdc.MustMarshal(&conn))

	// 04-channel keeper SetChannel: k.cdc.MustMarshal(&channel).
	ch := channeltypes.NewChannel(
		channeltypes.OPEN, channeltypes.UNORDERED,
		channeltypes.NewCounterparty("transfer", "channel-3"),
		[]string{"connection-0"}, "ics20-1",
	)
	emit("channel_end", cdc.MustMarshal(&ch))
	chInit := channeltypes.NewChannel(
		channeltypes.INIT, channeltypes.ORDERED,
		channeltypes.NewCounterparty("transfer", ""),
		[]string{"connection-0"}, "ping-1",
	)
	emit("channel_end_ordered_init", cdc.MustMarshal(&chInit))

	// 04-channel SendPacket stores CommitPacket at commitments/ports/{p}/channels/{c}/sequences/{s}.
	packet := channeltypes.NewPacket(
		[]byte(`{"amount":"100","denom":"uhub","receiver":"cosmos1receiver","sender":"hub1sender"}`),
		1, "transfer", "channel-0", "transfer", "channel-1",
		clienttypes.NewHeight(1, 1000), 1700000000000000000,
	)
	emit("packet_commitment", channeltypes.CommitPacket(cdc, packet))

	// 04-channel WriteAcknowledgement stores CommitAcknowledgement(ack bytes).
	emit("ack_commitment", channeltypes.CommitAcknowledgement([]byte(`{"result":"AQ=="}`)))
	emit("ack_success", channeltypes.NewResultAcknowledgement([]byte{1}).Acknowledgement())
	emit("ack_error", channeltypes.NewErrorAcknowledgement(errors.New("x")).Acknowledgement())

	// Next sequence send/recv/ack values.
	emit("next_sequence", sdk.Uint64ToBigEndian(7))

	// ICS-20.
	emit("ics20_packet_data", transfertypes.NewFungibleTokenPacketData("uhub", "100", "hub1sender", "cosmos1receiver", "").GetBytes())
	emit("ics20_packet_data_memo", transfertypes.NewFungibleTokenPacketData("uhub", "100", "hub1sender", "cosmos1receiver", "hello").GetBytes())
	emit("escrow_address_transfer_channel_0", transfertypes.GetEscrowAddress("transfer", "channel-0"))
	trace := transfertypes.ParseDenomTrace("transfer/channel-0/uatom")
	emit("denom_trace_hash", trace.Hash())
	fmt.Printf("denom_trace_ibc_denom=%s\n", trace.IBCDenom())
	// PFM's intermediate receiver for a packet from cosmos1sender arriving on channel-0,
	// printed as its 20 address bytes (GetReceiver bech32-encodes them with the global prefix).
	receiver, err := packetforward.GetReceiver("channel-0", "cosmos1sender")
	if err != nil {
		panic(err)
	}
	receiverBytes, err := sdk.GetFromBech32(receiver, sdk.GetConfig().GetBech32AccountAddrPrefix())
	if err != nil {
		panic(err)
	}
	emit("pfm_intermediate_receiver_channel_0", receiverBytes)
}
