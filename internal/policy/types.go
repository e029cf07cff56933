package policy

// Resource types the rules read, as Pulumi names them (pulumi-aws v6).
const (
	tProviderPrefix = "pulumi:providers:aws"

	tKMSKey         = "aws:kms/key:Key"
	tKMSAlias       = "aws:kms/alias:Alias"
	tKMSReplicaKey  = "aws:kms/replicaKey:ReplicaKey"
	tKMSReplicaExt  = "aws:kms/replicaExternalKey:ReplicaExternalKey"
	tRDSCluster     = "aws:rds/cluster:Cluster"
	tRDSClusterInst = "aws:rds/clusterInstance:ClusterInstance"
	tRDSInstance    = "aws:rds/instance:Instance"
	tRDSGlobal      = "aws:rds/globalCluster:GlobalCluster"
	tCacheGroup     = "aws:elasticache/replicationGroup:ReplicationGroup"
	tCacheCluster   = "aws:elasticache/cluster:Cluster"
	tCacheGlobal    = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"
	tQueue          = "aws:sqs/queue:Queue"
	tBucket         = "aws:s3/bucket:Bucket"
	tBucketV2       = "aws:s3/bucketV2:BucketV2"
	tBucketSSE      = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
	tBucketSSEV2    = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tBucketPAB      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tBucketRepl     = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
	tDynamoTable    = "aws:dynamodb/table:Table"
	tDynamoGlobal   = "aws:dynamodb/globalTable:GlobalTable"
	tBackupPlan     = "aws:backup/plan:Plan"
	tLogGroup       = "aws:cloudwatch/logGroup:LogGroup"
	tLogSubscriber  = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"
	tEventTarget    = "aws:cloudwatch/eventTarget:EventTarget"
	tAlarm          = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic          = "aws:sns/topic:Topic"
	tSubscription   = "aws:sns/topicSubscription:TopicSubscription"
	tSubnet         = "aws:ec2/subnet:Subnet"
	tNATGateway     = "aws:ec2/natGateway:NatGateway"
	tSecurityGroup  = "aws:ec2/securityGroup:SecurityGroup"
	tSGRule         = "aws:ec2/securityGroupRule:SecurityGroupRule"
	tSGIngress      = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
	tInstance       = "aws:ec2/instance:Instance"
	tVolume         = "aws:ebs/volume:Volume"
	tASG            = "aws:autoscaling/group:Group"
	tLB             = "aws:lb/loadBalancer:LoadBalancer"
	tALB            = "aws:alb/loadBalancer:LoadBalancer"
	tListener       = "aws:lb/listener:Listener"
	tALBListener    = "aws:alb/listener:Listener"
)

// dataTypes hold data that a replacement or deletion destroys. An Aurora cluster
// instance holds none (the cluster's storage does), so replacing one only costs
// capacity for a while.
var dataTypes = map[string]bool{
	tRDSCluster:   true,
	tRDSInstance:  true,
	tCacheGroup:   true,
	tCacheCluster: true,
	tBucket:       true,
	tBucketV2:     true,
	tKMSKey:       true,
	tQueue:        true,
	tDynamoTable:  true,
}

// protectedTypes must carry protect and retainOnDelete: the data types, and the
// cluster instances regionctl protects with their cluster.
var protectedTypes = func() map[string]bool {
	m := map[string]bool{tRDSClusterInst: true}
	for t := range dataTypes {
		m[t] = true
	}
	return m
}()
