//! The 18-decimal fixed point of gov's tallies and vote weights: the framework's [`Dec`]
//! (`cosmossdk.io/math.LegacyDec`), re-exported so gov's paths stay `hub_gov::dec::…`.

pub use hub_framework::dec::*;
